//! The leak detector on synthetic series: leaks are found within a bounded
//! number of samples; warm-up, plateaus, pre-allocation and sawtooths are not
//! called leaks at any sample.

use grounded::gpu::detector::{LeakParams, SeriesTracker, TrendState};

const MIB: f64 = 1024.0 * 1024.0;
const GIB: f64 = 1024.0 * MIB;
const TOTAL: f64 = 80.0 * GIB;
const INTERVAL_MS: u64 = 2000;

/// A small deterministic noise source (xorshift), roughly uniform in ±amp.
struct Noise(u64);

impl Noise {
    fn next(&mut self, amp: f64) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 % 2001) as f64 / 1000.0 - 1.0) * amp
    }
}

/// Feeds `samples` points of `f(t_seconds)`; the state after each.
fn run(samples: usize, mut f: impl FnMut(f64) -> f64) -> Vec<TrendState> {
    let mut tracker = SeriesTracker::new(LeakParams::default());
    (0..samples)
        .map(|i| {
            let t = i as f64 * INTERVAL_MS as f64 / 1000.0;
            let used = f(t).max(0.0);
            let free = (TOTAL - used).max(0.0) as u64;
            tracker
                .push(i as u64 * INTERVAL_MS, used as u64, Some(free))
                .state
        })
        .collect()
}

fn first_leak(states: &[TrendState]) -> Option<usize> {
    states.iter().position(|s| *s == TrendState::LeakSuspected)
}

fn assert_never_leaks(name: &str, states: &[TrendState]) {
    if let Some(i) = first_leak(states) {
        panic!("{name}: called a leak at sample {i}");
    }
}

#[test]
fn a_linear_leak_is_found_within_thirty_samples_and_stays_found() {
    let mut noise = Noise(7);
    // 180 MB per 2-s cycle.
    let states = run(120, |t| 6.0 * GIB + t * 90e6 + noise.next(4.0 * MIB));
    let at = first_leak(&states).expect("the leak is found");
    assert!(at <= 30, "found only at sample {at}");
    assert!(
        states[at..].iter().all(|s| *s == TrendState::LeakSuspected),
        "the verdict flapped: {states:?}"
    );
}

#[test]
fn a_staircase_leak_of_big_steps_is_found() {
    // 512 MiB every third sample: each rise is a step, but steps that keep
    // coming are growth, not warm-up.
    let states = run(150, |t| 4.0 * GIB + ((t / 6.0).floor()) * 512.0 * MIB);
    let at = first_leak(&states).expect("the staircase is found");
    assert!(at <= 60, "found only at sample {at}");
}

#[test]
fn a_slow_leak_under_noise_is_found() {
    let mut noise = Noise(11);
    // Half a MiB a second under ±12 MiB of noise.
    let states = run(300, |t| 8.0 * GIB + t * 0.5 * MIB + noise.next(12.0 * MIB));
    let at = first_leak(&states).expect("the slow leak is found");
    assert!(at <= 200, "found only at sample {at}");
}

#[test]
fn a_caching_allocator_that_grows_then_plateaus_is_not_a_leak() {
    let mut noise = Noise(3);
    let states = run(300, |t| {
        let smooth = 7.0 * GIB * (1.0 - (-t / 8.0).exp());
        let blocks = [3.0, 7.0, 12.0, 18.0, 26.0]
            .iter()
            .filter(|s| t >= **s)
            .count() as f64
            * 512.0
            * MIB;
        2.0 * GIB + smooth + blocks + noise.next(2.0 * MIB)
    });
    assert_never_leaks("plateau", &states);
    assert_eq!(states.last(), Some(&TrendState::Ok));
}

#[test]
fn an_engine_that_preallocates_ninety_percent_and_stays_flat_is_not_a_leak() {
    let mut noise = Noise(5);
    let states = run(300, |t| {
        if t < 6.0 {
            0.5 * GIB
        } else {
            72.0 * GIB + noise.next(2.0 * MIB)
        }
    });
    assert_never_leaks("pre-allocation", &states);
}

#[test]
fn a_model_load_after_warm_up_and_a_later_step_are_not_leaks() {
    let mut noise = Noise(9);
    let states = run(300, |t| {
        let mut used = 600.0 * MIB;
        if t >= 40.0 {
            used += ((t - 40.0) / 6.0).min(1.0) * 13.4 * GIB;
        }
        if t >= 150.0 {
            used += 2.0 * GIB;
        }
        used + noise.next(2.0 * MIB)
    });
    assert_never_leaks("warm-up step", &states);
}

#[test]
fn a_training_loops_sawtooth_is_not_a_leak() {
    for period in [8.0, 16.0, 24.0] {
        let mut noise = Noise(13);
        let states = run(300, |t| {
            20.0 * GIB + ((t % period) / period) * 6.0 * GIB + noise.next(16.0 * MIB)
        });
        assert_never_leaks(&format!("sawtooth of {period} s"), &states);
    }
}

#[test]
fn a_leak_that_stops_is_cleared() {
    let states = run(300, |t| 4.0 * GIB + t.min(200.0) * 50e6);
    assert!(first_leak(&states).is_some());
    assert_ne!(states.last(), Some(&TrendState::LeakSuspected));
}

#[test]
fn the_time_to_exhaustion_is_what_is_left_over_the_slope() {
    let mut tracker = SeriesTracker::new(LeakParams::default());
    let mut trend = None;
    for i in 0..60u64 {
        let used = 10.0 * GIB + i as f64 * 2.0 * 100.0 * MIB;
        let free = (TOTAL - used) as u64;
        trend = Some(
            tracker
                .push(i * INTERVAL_MS, used as u64, Some(free))
                .clone(),
        );
    }
    let trend = trend.unwrap();
    assert_eq!(trend.state, TrendState::LeakSuspected);
    let slope = trend.slope_bytes_per_s.unwrap();
    assert!((slope - 100.0 * MIB).abs() < MIB, "{slope}");
    let left = TOTAL - (10.0 * GIB + 59.0 * 200.0 * MIB);
    assert!((trend.eta_s.unwrap() - left / slope).abs() < 1.0);
    assert!(trend.r2.unwrap() > 0.99);
}

/// A time until full is projected only for a suspected leak: a steady
/// process's noise would project "full in 2917 h".
#[test]
fn only_a_suspected_leak_gets_a_time_until_full() {
    let mut tracker = SeriesTracker::new(LeakParams::default());
    let mut noise = Noise(3);
    for i in 0..120u64 {
        // Steady at 6 GiB, with a slight upward drift inside the noise.
        let used = 6.0 * GIB + i as f64 * 1024.0 + noise.next(2.0 * MIB);
        let free = (TOTAL - used) as u64;
        let trend = tracker.push(i * INTERVAL_MS, used as u64, Some(free));
        assert_ne!(trend.state, TrendState::LeakSuspected, "sample {i}");
        assert_eq!(trend.eta_s, None, "sample {i}: {trend:?}");
    }
    let mut tracker = SeriesTracker::new(LeakParams::default());
    let mut last = None;
    for i in 0..120u64 {
        let used = 6.0 * GIB + i as f64 * 2.0 * 90e6;
        let free = (TOTAL - used) as u64;
        last = Some(
            tracker
                .push(i * INTERVAL_MS, used as u64, Some(free))
                .clone(),
        );
    }
    let last = last.unwrap();
    assert_eq!(last.state, TrendState::LeakSuspected);
    let eta = last.eta_s.expect("a leak has a time until full");
    assert!(eta > 0.0 && eta < 3600.0, "{eta}");
}
