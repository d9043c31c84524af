//! Server time per route, measured inside the server: a tracing layer that notes when
//! the `request` span of the web layer's trace layer opens and when it closes (after
//! the response body went out), keyed by method and route pattern.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Metadata, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

use super::Samples;

/// Server times collected so far, by "METHOD /route".
#[derive(Clone, Default)]
pub struct ServerTimes(Arc<Mutex<BTreeMap<String, Samples>>>);

impl ServerTimes {
    /// Install the layer as the global subscriber (only `request` spans pass its filter).
    pub fn install() -> ServerTimes {
        let times = ServerTimes::default();
        let filter = tracing_subscriber::filter::filter_fn(|m: &Metadata<'_>| {
            m.is_span() && m.name() == "request"
        });
        tracing_subscriber::registry()
            .with(TimingLayer(times.clone()).with_filter(filter))
            .init();
        times
    }

    /// Everything collected since the last call.
    pub fn take(&self) -> BTreeMap<String, Samples> {
        std::mem::take(&mut *self.0.lock().expect("timing lock"))
    }
}

struct TimingLayer(ServerTimes);

struct Started {
    at: Instant,
    key: String,
}

#[derive(Default)]
struct Fields {
    method: String,
    route: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "method" => self.method = format!("{value:?}"),
            "route" => self.route = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S> Layer<S> for TimingLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Started {
                at: Instant::now(),
                key: format!("{} {}", fields.method, fields.route),
            });
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let extensions = span.extensions();
        let Some(started) = extensions.get::<Started>() else {
            return;
        };
        let elapsed = started.at.elapsed();
        let mut times = (self.0).0.lock().expect("timing lock");
        times.entry(started.key.clone()).or_default().push(elapsed);
    }
}
