//! Work on a long list split over the cores: fixed-size chunks taken by as many threads
//! as there are cores, their results handed back in the order of the chunks, so what is
//! computed does not depend on the number of cores.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` on each chunk of `0..len` (`chunk` long, the last one shorter), on every
/// core; the results in the order of the chunks.
pub(crate) fn in_chunks<T: Send>(
    len: usize,
    chunk: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let chunks = len.div_ceil(chunk.max(1));
    let range = |c: usize| c * chunk..((c + 1) * chunk).min(len);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    if threads <= 1 {
        return (0..chunks).map(|c| work(range(c))).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                return done;
            }
            done.push((c, work(range(c))));
        }
    };
    let mut parts: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    parts.sort_unstable_by_key(|(c, _)| *c);
    parts.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::in_chunks;

    #[test]
    fn every_chunk_once_in_order() {
        let parts = in_chunks(10, 3, |r| r.collect::<Vec<_>>());
        assert_eq!(
            parts,
            [vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8], vec![9]]
        );
        assert!(in_chunks(0, 3, |r| r.len()).is_empty());
    }
}
