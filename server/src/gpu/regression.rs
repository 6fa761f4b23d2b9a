//! Ordinary least squares of one series against time.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Units of `y` per unit of `x`.
    pub slope: f64,
    /// The coefficient of determination, 0 (no linear trend) to 1 (a line);
    /// 0 for a flat series.
    pub r2: f64,
}

/// The least-squares line through `points` (x, y); `None` for fewer than two
/// points or a single x.
pub fn fit(points: impl Iterator<Item = (f64, f64)> + Clone) -> Option<Fit> {
    let (mut n, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for (x, y) in points.clone() {
        n += 1.0;
        sx += x;
        sy += y;
    }
    if n < 2.0 {
        return None;
    }
    let (mx, my) = (sx / n, sy / n);
    // Centered sums: stable for timestamps in ms and values in bytes.
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in points {
        let (dx, dy) = (x - mx, y - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let r2 = if syy > 0.0 {
        ((sxy * sxy) / (sxx * syy)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Some(Fit { slope, r2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_fits_exactly_and_a_flat_series_has_no_trend() {
        let line = (0..10).map(|i| (i as f64, 3.0 * i as f64 + 7.0));
        let f = fit(line).unwrap();
        assert!((f.slope - 3.0).abs() < 1e-9);
        assert!((f.r2 - 1.0).abs() < 1e-9);
        let flat = fit((0..10).map(|i| (i as f64, 5.0))).unwrap();
        assert_eq!(flat.slope, 0.0);
        assert_eq!(flat.r2, 0.0);
        assert!(fit([(1.0, 2.0)].into_iter()).is_none());
        assert!(fit([(1.0, 2.0), (1.0, 3.0)].into_iter()).is_none());
    }
}
