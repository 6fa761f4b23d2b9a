//! Bytes, rates and durations as people read them.

const KIB: f64 = 1024.0;
const MIB: f64 = KIB * 1024.0;
const GIB: f64 = MIB * 1024.0;

pub fn bytes(b: f64) -> String {
    let a = b.abs();
    if a >= GIB {
        format!("{:.1} GiB", b / GIB)
    } else if a >= MIB {
        format!("{:.0} MiB", b / MIB)
    } else if a >= KIB {
        format!("{:.0} KiB", b / KIB)
    } else {
        format!("{b:.0} B")
    }
}

pub fn rate(bytes_per_s: f64) -> String {
    format!("{}/s", bytes(bytes_per_s))
}

pub fn duration(s: f64) -> String {
    if !s.is_finite() {
        return "never".into();
    }
    let s = s.max(0.0);
    if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 90.0 * 60.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 48.0 * 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.0} days", s / 86400.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn readable() {
        assert_eq!(super::bytes(180.0 * 1024.0 * 1024.0), "180 MiB");
        assert_eq!(super::bytes(80.0 * 1024.0 * 1024.0 * 1024.0), "80.0 GiB");
        assert_eq!(super::duration(45.0), "45 s");
        assert_eq!(super::duration(600.0), "10 min");
        assert_eq!(super::duration(f64::INFINITY), "never");
    }
}
