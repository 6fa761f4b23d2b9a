//! Whether a rustdoc portability note ("Available on (Unix or WASI) and
//! non-target_os=trusty only") holds on the platform Grounded runs on: the
//! docs are the host toolchain's, and so is the code it checks.

/// Operating systems rustdoc names by word (lower-cased), as `target_os`
/// spells them.
const OSES: &[(&str, &str)] = &[
    ("linux", "linux"),
    ("macos", "macos"),
    ("ios", "ios"),
    ("tvos", "tvos"),
    ("watchos", "watchos"),
    ("visionos", "visionos"),
    ("android", "android"),
    ("freebsd", "freebsd"),
    ("netbsd", "netbsd"),
    ("openbsd", "openbsd"),
    ("dragonfly bsd", "dragonfly"),
    ("dragonfly", "dragonfly"),
    ("solaris", "solaris"),
    ("illumos", "illumos"),
    ("wasi", "wasi"),
    ("hermitcore", "hermit"),
    ("uefi", "uefi"),
    ("fuchsia", "fuchsia"),
    ("redox", "redox"),
    ("haiku", "haiku"),
    ("vxworks", "vxworks"),
    ("emscripten", "emscripten"),
    ("aix", "aix"),
    ("cygwin", "cygwin"),
];

/// Architectures rustdoc names by word, as `target_arch` spells them.
const ARCHES: &[(&str, &str)] = &[
    ("x86-64", "x86_64"),
    ("x86", "x86"),
    ("aarch64", "aarch64"),
    ("arm", "arm"),
    ("riscv64", "riscv64"),
    ("riscv32", "riscv32"),
    ("wasm32", "wasm32"),
    ("wasm64", "wasm64"),
    ("loongarch64", "loongarch64"),
    ("powerpc64", "powerpc64"),
    ("s390x", "s390x"),
];

/// Some(true/false) when the condition surely holds / surely does not here;
/// None when a part of it cannot be told (a crate feature, an unknown word).
pub fn holds(cond: &str) -> Option<bool> {
    let spaced = cond
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace(',', " ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut at = 0;
    let value = or_expr(&tokens, &mut at);
    if at != tokens.len() {
        return None;
    }
    value
}

fn or_expr(t: &[&str], at: &mut usize) -> Option<bool> {
    let mut value = and_expr(t, at);
    while t.get(*at) == Some(&"or") {
        *at += 1;
        let right = and_expr(t, at);
        value = match (value, right) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
    }
    value
}

fn and_expr(t: &[&str], at: &mut usize) -> Option<bool> {
    let mut value = factor(t, at);
    while t.get(*at) == Some(&"and") {
        *at += 1;
        let right = factor(t, at);
        value = match (value, right) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    value
}

fn factor(t: &[&str], at: &mut usize) -> Option<bool> {
    if t.get(*at) == Some(&"(") {
        *at += 1;
        let value = or_expr(t, at);
        if t.get(*at) == Some(&")") {
            *at += 1;
            return value;
        }
        *at = t.len() + 1;
        return None;
    }
    // Words up to the next operator are one atom (`crate feature std`,
    // `DragonFly BSD`).
    let start = *at;
    while *at < t.len() && !matches!(t[*at], "and" | "or" | "(" | ")") {
        *at += 1;
    }
    if start == *at {
        *at = t.len() + 1;
        return None;
    }
    atom(&t[start..*at].join(" "))
}

fn atom(word: &str) -> Option<bool> {
    let w = word.to_lowercase();
    if let Some(rest) = w.strip_prefix("non-") {
        return atom(rest).map(|v| !v);
    }
    if let Some((key, value)) = w.split_once('=') {
        return match key {
            "target_os" => Some(value == std::env::consts::OS),
            "target_family" => Some(value == std::env::consts::FAMILY),
            "target_arch" => Some(value == std::env::consts::ARCH),
            _ => None,
        };
    }
    match w.as_str() {
        "unix" => return Some(cfg!(unix)),
        "windows" => return Some(cfg!(windows)),
        "apple" => return Some(cfg!(target_vendor = "apple")),
        _ => {}
    }
    if let Some((_, os)) = OSES.iter().find(|(name, _)| *name == w) {
        return Some(*os == std::env::consts::OS);
    }
    if let Some((_, arch)) = ARCHES.iter().find(|(name, _)| *name == w) {
        return Some(*arch == std::env::consts::ARCH);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::holds;

    #[test]
    fn notes_of_other_platforms_do_not_hold() {
        let other = if cfg!(windows) { "Unix" } else { "Windows" };
        assert_eq!(holds(other), Some(false));
        let own = if cfg!(windows) { "Windows" } else { "Unix" };
        assert_eq!(holds(own), Some(true));
        assert_eq!(holds(&format!("non-{other}")), Some(true));
        assert_eq!(
            holds(&format!("({own} or WASI) and non-{other}")),
            Some(true)
        );
        if cfg!(target_os = "linux") {
            assert_eq!(holds("Windows or HermitCore"), Some(false));
            assert_eq!(holds("target_os=linux and x86-64"), holds("x86-64"));
        }
        // What cannot be told here is not ruled out.
        assert_eq!(holds("crate feature `std`"), None);
        assert_eq!(holds(&format!("{other} or crate feature `x`")), None);
        assert_eq!(
            holds(&format!("{other} and crate feature `x`")),
            Some(false)
        );
        assert_eq!(holds("(Unix"), None);
    }
}
