//! Suggestions: real names from the same container, nearest first.

/// Up to `limit` candidates close to `name`, best first. Close means a small
/// edit distance (case-insensitive), a shared prefix, or shared word tokens.
pub fn suggest<'a, I>(name: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lname = name.to_lowercase();
    let ntokens = tokens(name);
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .filter(|c| *c != name && !c.is_empty())
        // Private names are only suggested for private names.
        .filter(|c| name.starts_with('_') || !c.starts_with('_'))
        .filter_map(|c| {
            let s = score(&lname, &ntokens, c);
            (s >= 0.62).then(|| (s, c.to_string()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

fn score(lname: &str, ntokens: &[String], candidate: &str) -> f64 {
    let lc = candidate.to_lowercase();
    if lc == lname {
        return 1.0;
    }
    let dist = strsim::damerau_levenshtein(lname, &lc) as f64;
    let longest = lname.chars().count().max(lc.chars().count()) as f64;
    let mut sim = 1.0 - dist / longest;
    // Very short names: only one edit away counts.
    if longest <= 4.0 && dist > 1.0 {
        sim = 0.0;
    }
    let ctokens = tokens(candidate);
    let shared = ntokens.iter().filter(|t| ctokens.contains(t)).count() as f64;
    let union = (ntokens.len() + ctokens.len()) as f64 - shared;
    let overlap = if union > 0.0 { shared / union } else { 0.0 };
    // `read` → `read_text`, `exist` → `exists`: the name is a prefix of the real one.
    let prefix = if lname.len() >= 3 && lc.starts_with(lname) {
        0.25
    } else {
        0.0
    };
    sim.max(overlap * 0.9) + prefix
}

/// `read_text` → [read, text]; `getLogger` → [get, logger].
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch == '_' || ch == '-' || ch == '.' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_find_the_real_name() {
        assert_eq!(
            suggest("exist", ["exists", "expanduser", "join"], 3),
            vec!["exists"]
        );
        assert_eq!(
            suggest("getlogger", ["getLogger", "Logger", "info"], 3)[0],
            "getLogger"
        );
        assert_eq!(
            suggest("OrderDict", ["OrderedDict", "defaultdict", "deque"], 3)[0],
            "OrderedDict"
        );
        assert_eq!(
            suggest(
                "read",
                ["read_text", "read_bytes", "write_text", "rename"],
                3
            )[..2],
            ["read_bytes".to_string(), "read_text".to_string()]
        );
    }

    #[test]
    fn unrelated_names_are_not_suggested() {
        assert!(suggest("add_days", ["astimezone", "isoformat", "now"], 3).is_empty());
        assert!(suggest("xy", ["ab", "cd"], 3).is_empty());
    }

    #[test]
    fn private_names_only_for_private_names() {
        assert!(suggest("helper", ["_helper"], 3).is_empty());
        assert_eq!(suggest("_helpr", ["_helper"], 3), vec!["_helper"]);
    }
}
