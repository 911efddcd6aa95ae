//! Steps: named, timed units of work, reported the same way everywhere.
//!
//! CI logs and humans both need to see what is happening and where the time goes, so each step
//! prints its name when it starts and its duration when it ends, and `Report` prints a table at the
//! end of a pipeline.

use crate::error::Result;
use std::time::{Duration, Instant};

/// Runs `work` as a named step, printing its start, outcome and duration.
pub fn run<T>(name: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    let started = Instant::now();
    let outcome = work();
    let took = started.elapsed();
    match &outcome {
        Ok(_) => println!("<== {name}: ok ({})", human(took)),
        Err(e) => println!("<== {name}: FAILED after {}: {e}", human(took)),
    }
    outcome
}

/// Collects step durations for a closing summary.
#[derive(Debug, Default)]
pub struct Report {
    rows: Vec<(String, Duration, bool)>,
    started: Option<Instant>,
}

impl Report {
    pub fn new() -> Self {
        Report {
            rows: Vec::new(),
            started: Some(Instant::now()),
        }
    }

    /// Like [`run`], and records the result in the report.
    pub fn step<T>(&mut self, name: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let started = Instant::now();
        let outcome = run(name, work);
        self.rows
            .push((name.to_owned(), started.elapsed(), outcome.is_ok()));
        outcome
    }

    pub fn print(&self) {
        println!("\nSummary");
        for (name, took, ok) in &self.rows {
            let mark = if *ok { "ok    " } else { "FAILED" };
            println!("  {mark} {:>9}  {name}", human(*took));
        }
        if let Some(started) = self.started {
            println!("  total  {:>9}", human(started.elapsed()));
        }
    }
}

/// Formats a duration the way people read it in a log: `850 ms`, `12.3 s`, `4 min 05 s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        let s = d.as_secs();
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::human;
    use std::time::Duration;

    #[test]
    fn formats_durations_for_people() {
        assert_eq!(human(Duration::from_millis(850)), "850 ms");
        assert_eq!(human(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(human(Duration::from_secs(245)), "4 min 05 s");
    }
}
