//! Where a build's time goes, for `kiln build --timings`: wall time per stage, plus CPU
//! time summed over threads for work that runs inside a parallel stage (highlighting within
//! Markdown, file writes within templates), which a stage clock cannot separate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// CPU time spent highlighting code blocks (summed over threads).
pub static HIGHLIGHT: CpuMeter = CpuMeter::new();

/// One row of `--timings`.
#[derive(Debug, Clone, Copy)]
pub struct Lap {
    /// Stage name.
    pub stage: &'static str,
    /// Wall time, or CPU time summed over threads when `cpu`.
    pub time: Duration,
    /// A part of the stage before it, in CPU time.
    pub cpu: bool,
}

/// Stage timer.
#[derive(Debug)]
pub struct Clock {
    last: Instant,
    /// Stages in order.
    pub laps: Vec<Lap>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    /// Start timing now.
    pub fn new() -> Self {
        Clock { last: Instant::now(), laps: Vec::new() }
    }

    /// Close the stage that ran since the last lap.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push(Lap { stage, time: now - self.last, cpu: false });
        self.last = now;
    }

    /// Record CPU time spent on part of the last stage.
    pub fn part(&mut self, stage: &'static str, time: Duration) {
        self.laps.push(Lap { stage, time, cpu: true });
    }
}

/// Sums the time spent in a kind of work across threads.
#[derive(Debug)]
pub struct CpuMeter(AtomicU64);

impl Default for CpuMeter {
    fn default() -> Self {
        Self::new()
    }
}

impl CpuMeter {
    /// A meter at zero.
    pub const fn new() -> Self {
        CpuMeter(AtomicU64::new(0))
    }

    /// Run `f`, adding its duration.
    pub fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// The time summed so far, resetting the meter.
    pub fn take(&self) -> Duration {
        Duration::from_nanos(self.0.swap(0, Ordering::Relaxed))
    }
}
