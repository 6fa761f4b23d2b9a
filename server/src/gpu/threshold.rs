//! The threshold alarm of one GPU: memory used above a share of the total.
//!
//! A bare "used > 90%" fires all day on a serving engine that takes 90% at
//! start, so a level reached in one step (or already there when watching
//! began) is given the grace period to settle and is then accepted as the
//! baseline; the alarm fires when memory crosses the threshold gradually,
//! or rises past an accepted baseline by `rise_pct` of the total. It clears
//! only below `percent - clear_pct` (hysteresis).

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdParams {
    pub percent: f64,
    pub clear_pct: f64,
    pub rise_pct: f64,
    pub step_bytes: f64,
    pub grace_s: f64,
}

impl Default for ThresholdParams {
    fn default() -> ThresholdParams {
        ThresholdParams {
            percent: 90.0,
            clear_pct: 5.0,
            rise_pct: 2.0,
            step_bytes: 256.0 * 1024.0 * 1024.0,
            grace_s: 10.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Below,
    Settling { since_ms: u64, peak: u64 },
    Accepted { level: u64 },
    Firing,
}

#[derive(Debug, Clone)]
pub struct ThresholdAlarm {
    params: ThresholdParams,
    state: State,
    last_used: Option<u64>,
}

impl ThresholdAlarm {
    pub fn new(params: ThresholdParams) -> ThresholdAlarm {
        ThresholdAlarm {
            params,
            state: State::Below,
            last_used: None,
        }
    }

    pub fn firing(&self) -> bool {
        self.state == State::Firing
    }

    /// Add a reading; true when the alarm fires with it.
    pub fn push(&mut self, ts_ms: u64, used: u64, total: u64) -> bool {
        if total == 0 {
            return false;
        }
        let p = self.params;
        let pct = used as f64 * 100.0 / total as f64;
        let above = pct >= p.percent;
        let cleared = pct < p.percent - p.clear_pct;
        let prev = self.last_used.replace(used);
        let before = self.state;
        self.state = match self.state {
            _ if cleared => State::Below,
            State::Below if above => {
                let stepped = prev.is_none_or(|prev| used as f64 - prev as f64 >= p.step_bytes);
                if stepped {
                    State::Settling {
                        since_ms: ts_ms,
                        peak: used,
                    }
                } else {
                    State::Firing
                }
            }
            State::Settling { since_ms, peak } => {
                let peak = peak.max(used);
                if ts_ms.saturating_sub(since_ms) as f64 >= p.grace_s * 1000.0 {
                    State::Accepted { level: peak }
                } else {
                    State::Settling { since_ms, peak }
                }
            }
            State::Accepted { level }
                if used as f64 > level as f64 + p.rise_pct * total as f64 / 100.0 =>
            {
                State::Firing
            }
            other => other,
        };
        self.state == State::Firing && before != State::Firing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn gradual_crossing_fires_and_clears_only_well_below() {
        let mut a = ThresholdAlarm::new(ThresholdParams::default());
        let total = 80 * GIB;
        let mut fired = 0;
        for i in 0..40u64 {
            // 70 GiB rising 128 MiB a sample: crosses 72 GiB (90%) gradually.
            fired += a.push(i * 2000, 70 * GIB + i * GIB / 8, total) as u32;
        }
        assert_eq!(fired, 1);
        assert!(a.firing());
        assert!(
            !a.push(100_000, 70 * GIB, total),
            "87.5%: still above the clear level"
        );
        assert!(a.firing());
        a.push(102_000, 60 * GIB, total);
        assert!(!a.firing());
    }

    #[test]
    fn a_preallocated_level_is_accepted_until_it_rises_further() {
        let mut a = ThresholdAlarm::new(ThresholdParams::default());
        let total = 80 * GIB;
        a.push(0, GIB / 2, total);
        let mut fired = false;
        for i in 1..200u64 {
            fired |= a.push(i * 2000, 73 * GIB, total);
        }
        assert!(!fired, "a step to 91% that stays flat is pre-allocation");
        assert!(
            a.push(400_000, 75 * GIB, total),
            "2.5% past the baseline fires"
        );
    }
}
