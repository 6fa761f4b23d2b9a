//! The leak detector: is one memory series (a process on a GPU, or a whole
//! GPU) growing steadily enough to call it a leak?
//!
//! Over a sliding window it fits a least-squares line and calls a leak only
//! when all of these hold:
//! - the fit spans at least `min_duration_s`, after a grace period that
//!   starts when the series appears and again when it steps up (a model
//!   load, the caching allocator taking a new block) — but a series that
//!   keeps stepping up is a staircase, not warm-up, and gets no more grace;
//! - the line explains the data (R² ≥ `r2_min`): a training loop's sawtooth
//!   and a single step do not;
//! - the growth over the window is material (≥ `min_growth_bytes`);
//! - it is not slowing down: the recent half of the window still grows at
//!   least half as fast as the whole, and the last third at least half as
//!   fast as the first (an allocator that grows then plateaus fails this).
//!
//! A suspected leak holds while the trend roughly continues, so one noisy
//! sample does not flap it.

use std::collections::VecDeque;

use serde::Serialize;

use super::regression::{self, Fit};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeakParams {
    pub window_s: f64,
    pub grace_s: f64,
    pub min_duration_s: f64,
    pub r2_min: f64,
    pub min_growth_bytes: f64,
    /// A rise between two samples at least this big is a step.
    pub step_bytes: f64,
    /// Steps within one window that restart the grace period.
    pub grace_steps: usize,
}

impl Default for LeakParams {
    fn default() -> LeakParams {
        LeakParams {
            window_s: 300.0,
            grace_s: 10.0,
            min_duration_s: 40.0,
            r2_min: 0.8,
            min_growth_bytes: 64.0 * MIB,
            step_bytes: 256.0 * MIB,
            grace_steps: 2,
        }
    }
}

const MIB: f64 = 1024.0 * 1024.0;
/// Fewer points than this are not a trend.
const MIN_POINTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendState {
    Ok,
    Growing,
    LeakSuspected,
}

/// The detector's verdict on one series, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub state: TrendState,
    /// `None` until there are enough points after the grace period.
    pub slope_bytes_per_s: Option<f64>,
    pub r2: Option<f64>,
    /// The seconds the fit spans.
    pub window_s: f64,
    /// Projected seconds until the device is full at this slope; only for a
    /// suspected leak (a steady process's tiny slope would project years).
    pub eta_s: Option<f64>,
}

impl Trend {
    fn warming_up() -> Trend {
        Trend {
            state: TrendState::Ok,
            slope_bytes_per_s: None,
            r2: None,
            window_s: 0.0,
            eta_s: None,
        }
    }
}

/// Follows one series, one sample at a time.
#[derive(Debug, Clone)]
pub struct SeriesTracker {
    params: LeakParams,
    /// (ms, bytes) within the window.
    points: VecDeque<(u64, f64)>,
    /// Points before this are warm-up.
    fit_from_ms: u64,
    /// Start times of the steps within the window.
    steps: VecDeque<u64>,
    /// The last sample rose by a step.
    in_step: bool,
    last: Trend,
}

impl SeriesTracker {
    pub fn new(params: LeakParams) -> SeriesTracker {
        SeriesTracker {
            params,
            points: VecDeque::new(),
            fit_from_ms: 0,
            steps: VecDeque::new(),
            in_step: false,
            last: Trend::warming_up(),
        }
    }

    pub fn trend(&self) -> &Trend {
        &self.last
    }

    /// Add a sample; `free_bytes` (what is left on the device) gives the
    /// time to exhaustion. A sample not later than the last is ignored.
    pub fn push(&mut self, ts_ms: u64, bytes: u64, free_bytes: Option<u64>) -> &Trend {
        let p = self.params;
        let y = bytes as f64;
        let grace_ms = secs_to_ms(p.grace_s);
        let window_ms = secs_to_ms(p.window_s);
        match self.points.back() {
            Some(&(t, _)) if ts_ms <= t => return &self.last,
            Some(&(_, prev)) => {
                let step = y - prev >= p.step_bytes;
                // A ramp of several big rises in a row is one step.
                if step && !self.in_step {
                    self.steps.push_back(ts_ms);
                    while self.steps.front().is_some_and(|s| *s + window_ms < ts_ms) {
                        self.steps.pop_front();
                    }
                    if self.steps.len() <= p.grace_steps {
                        self.fit_from_ms = ts_ms + grace_ms;
                    }
                }
                self.in_step = step;
            }
            None => self.fit_from_ms = ts_ms + grace_ms,
        }
        self.points.push_back((ts_ms, y));
        while self
            .points
            .front()
            .is_some_and(|(t, _)| *t + window_ms < ts_ms)
        {
            self.points.pop_front();
        }
        self.last = self.assess(free_bytes);
        &self.last
    }

    fn assess(&self, free_bytes: Option<u64>) -> Trend {
        let p = self.params;
        let from = self.fit_from_ms;
        let pts: Vec<(u64, f64)> = self
            .points
            .iter()
            .copied()
            .filter(|(t, _)| *t >= from)
            .collect();
        if pts.len() < MIN_POINTS {
            return Trend::warming_up();
        }
        let (t0, t1) = (pts[0].0, pts[pts.len() - 1].0);
        let duration_s = (t1 - t0) as f64 / 1000.0;
        let Some(all) = fit_between(&pts, t0, t1) else {
            return Trend::warming_up();
        };
        let span = t1 - t0;
        let slope_of = |a: u64, b: u64| fit_between(&pts, a, b).map_or(0.0, |f| f.slope);
        let recent = slope_of(t0 + span / 2, t1);
        let first_third = slope_of(t0, t0 + span / 3);
        let last_third = slope_of(t1 - span / 3, t1);
        let growth = all.slope * duration_s;
        let steady = recent >= 0.5 * all.slope && last_third >= 0.5 * first_third;
        let leak = duration_s >= p.min_duration_s
            && all.r2 >= p.r2_min
            && growth >= p.min_growth_bytes
            && steady;
        let holds = self.last.state == TrendState::LeakSuspected
            && all.r2 >= p.r2_min - 0.2
            && growth >= p.min_growth_bytes / 2.0
            && recent > 0.25 * all.slope;
        let growing = all.slope > 0.0 && all.r2 >= 0.5 && growth >= p.min_growth_bytes / 2.0;
        let state = if leak || holds {
            TrendState::LeakSuspected
        } else if growing {
            TrendState::Growing
        } else {
            TrendState::Ok
        };
        let eta_s = match free_bytes {
            Some(free) if all.slope > 0.0 && state == TrendState::LeakSuspected => {
                Some(free as f64 / all.slope)
            }
            _ => None,
        };
        Trend {
            state,
            slope_bytes_per_s: Some(all.slope),
            r2: Some(all.r2),
            window_s: duration_s,
            eta_s,
        }
    }
}

/// The fit of the points in [a, b], x in seconds from a.
fn fit_between(pts: &[(u64, f64)], a: u64, b: u64) -> Option<Fit> {
    let sel = pts
        .iter()
        .filter(move |(t, _)| *t >= a && *t <= b)
        .map(move |(t, y)| ((t - a) as f64 / 1000.0, *y));
    regression::fit(sel)
}

fn secs_to_ms(s: f64) -> u64 {
    (s.max(0.0) * 1000.0) as u64
}
