//! Accessible SVG bar charts: `role="img"` with `<title>` and `<desc>`, values written
//! next to the bars, and "now" versus "target" told apart by fill versus outline, not by
//! colour. Without targets (survey results) the bars stand alone, without a legend.

use plotters::prelude::*;

/// One bar pair: a label, the current share and the target share (both in percent).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub target: Option<f64>,
}

/// Texts the chart needs, already in the reader's language.
pub struct ChartText<'a> {
    pub title: &'a str,
    /// The text alternative: what the chart shows, in a sentence or two.
    pub description: &'a str,
    pub now_label: &'a str,
    pub target_label: &'a str,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fmt_pct(v: f64) -> String {
    format!("{v:.1}%").replace('.', ",")
}

/// A horizontal bar chart of shares against targets, as an SVG string.
pub fn share_bars(bars: &[Bar], text: &ChartText) -> String {
    let targets = bars.iter().any(|b| b.target.is_some());
    // Room for the target bar and the legend only when there are targets.
    let (row, first) = if targets { (56u32, 50i32) } else { (32, 14) };
    let height = first as u32 + 20 + row * bars.len().max(1) as u32;
    let width = 760u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let label_width = 260i32;
        let plot_left = label_width + 10;
        let plot_right = width as i32 - 150;
        let max = bars
            .iter()
            .flat_map(|b| [b.value, b.target.unwrap_or(0.0)])
            .fold(10.0f64, f64::max)
            .min(100.0);
        let x_of = |v: f64| {
            plot_left + ((v.clamp(0.0, 100.0) / max) * f64::from(plot_right - plot_left)) as i32
        };
        let font = ("sans-serif", 16).into_font().color(&BLACK);
        let small = ("sans-serif", 14).into_font().color(&BLACK);
        // Legend: filled = now, outline = target; only when there are targets.
        if targets {
            let _ = root.draw(&Rectangle::new(
                [(plot_left, 14), (plot_left + 24, 30)],
                ShapeStyle::from(&RGBColor(0, 82, 76)).filled(),
            ));
            let _ = root.draw(&Text::new(
                text.now_label.to_owned(),
                (plot_left + 32, 14),
                font.clone(),
            ));
            let _ = root.draw(&Rectangle::new(
                [(plot_left + 200, 14), (plot_left + 224, 30)],
                ShapeStyle::from(&BLACK).stroke_width(2),
            ));
            let _ = root.draw(&Text::new(
                text.target_label.to_owned(),
                (plot_left + 232, 14),
                font.clone(),
            ));
        }
        for (i, bar) in bars.iter().enumerate() {
            let top = first + row as i32 * i as i32;
            let label: String = if bar.label.chars().count() > 32 {
                format!("{}…", bar.label.chars().take(31).collect::<String>())
            } else {
                bar.label.clone()
            };
            let _ = root.draw(&Text::new(label, (4, top + 12), font.clone()));
            let _ = root.draw(&Rectangle::new(
                [
                    (plot_left, top + 4),
                    (x_of(bar.value).max(plot_left + 1), top + 24),
                ],
                ShapeStyle::from(&RGBColor(0, 82, 76)).filled(),
            ));
            if let Some(target) = bar.target {
                let _ = root.draw(&Rectangle::new(
                    [
                        (plot_left, top + 28),
                        (x_of(target).max(plot_left + 1), top + 44),
                    ],
                    ShapeStyle::from(&BLACK).stroke_width(2),
                ));
            }
            let value_text = match bar.target {
                Some(t) => format!("{} / {}", fmt_pct(bar.value), fmt_pct(t)),
                None => fmt_pct(bar.value),
            };
            let _ = root.draw(&Text::new(
                value_text,
                (plot_right + 8, top + 14),
                small.clone(),
            ));
        }
        let _ = root.present();
    }
    make_accessible(&svg, text.title, text.description)
}

/// Put `role="img"`, `aria-labelledby`, `<title>` and `<desc>` into the SVG.
fn make_accessible(svg: &str, title: &str, description: &str) -> String {
    let id = format!(
        "c{:x}",
        svg.len() ^ title.len() << 8 ^ description.len() << 16
    );
    let Some(start) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg.to_owned();
    };
    format!(
        "{}<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\"{}><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>{}",
        &svg[..start],
        &svg[start + 4..end],
        escape(title),
        escape(description),
        &svg[end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_text_alternative_and_values() {
        let bars = vec![
            Bar {
                label: "Ik heb zelf psychische klachten".into(),
                value: 83.0,
                target: Some(75.0),
            },
            Bar {
                label: "Naaste".into(),
                value: 17.0,
                target: Some(25.0),
            },
        ];
        let svg = share_bars(
            &bars,
            &ChartText {
                title: "Rol",
                description: "83% ervaring, doel 75%",
                now_label: "Nu",
                target_label: "Doel",
            },
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id="));
        assert!(svg.contains("<desc id="));
        assert!(svg.contains("83,0% / 75,0%"));
        assert!(svg.contains("Naaste"));
    }
}
