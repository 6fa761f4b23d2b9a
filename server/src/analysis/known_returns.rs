//! Return types of common stdlib functions whose source has no annotation and
//! whose body our inference cannot follow (`datetime.now` goes through a
//! branchy `_fromtimestamp`). Our own table, kept small: each entry is a fact
//! about CPython's documented API. `Self` means "an instance of the receiver".

const KNOWN_RETURNS: &[(&str, &str)] = &[
    ("datetime.date.today", "Self"),
    ("datetime.date.fromtimestamp", "Self"),
    ("datetime.date.fromordinal", "Self"),
    ("datetime.date.fromisoformat", "Self"),
    ("datetime.date.fromisocalendar", "Self"),
    ("datetime.date.replace", "Self"),
    ("datetime.datetime.now", "Self"),
    ("datetime.datetime.utcnow", "Self"),
    ("datetime.datetime.fromtimestamp", "Self"),
    ("datetime.datetime.utcfromtimestamp", "Self"),
    ("datetime.datetime.fromisoformat", "Self"),
    ("datetime.datetime.strptime", "Self"),
    ("datetime.datetime.combine", "Self"),
    ("datetime.datetime.replace", "Self"),
    ("datetime.datetime.astimezone", "Self"),
    ("datetime.datetime.date", "datetime.date"),
    ("datetime.datetime.time", "datetime.time"),
    ("datetime.datetime.timetz", "datetime.time"),
    ("datetime.time.replace", "Self"),
    ("datetime.time.fromisoformat", "Self"),
    ("logging.getLogger", "logging.Logger"),
    ("logging.Logger.getChild", "logging.Logger"),
    ("re.compile", "re.Pattern"),
    ("pathlib.PurePath.with_name", "Self"),
    ("pathlib.PurePath.with_stem", "Self"),
    ("pathlib.PurePath.with_suffix", "Self"),
    ("pathlib.PurePath.joinpath", "Self"),
    ("pathlib.PurePath.relative_to", "Self"),
    ("pathlib.Path.cwd", "Self"),
    ("pathlib.Path.home", "Self"),
    ("pathlib.Path.absolute", "Self"),
    ("pathlib.Path.resolve", "Self"),
    ("pathlib.Path.expanduser", "Self"),
];

/// What a known function returns: `Some("Self")`, `Some("module.Class")`, or None.
pub fn known_return(qualified: &str) -> Option<&'static str> {
    KNOWN_RETURNS
        .iter()
        .find(|(name, _)| *name == qualified)
        .map(|(_, ret)| *ret)
}

/// The public module a private implementation module stands for:
/// `_datetime` / `_pydatetime` → `datetime`, `pathlib._local` → `pathlib`,
/// `_collections` → `collections`.
pub fn public_module(module: &str) -> String {
    if module == "_pydatetime" {
        return "datetime".to_string();
    }
    let mut parts: Vec<&str> = module.split('.').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.starts_with('_')) {
        parts.pop();
    }
    let first = parts[0].trim_start_matches('_');
    parts[0] = first;
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_modules_map_to_public_ones() {
        assert_eq!(public_module("_datetime"), "datetime");
        assert_eq!(public_module("_pydatetime"), "datetime");
        assert_eq!(public_module("pathlib._local"), "pathlib");
        assert_eq!(public_module("logging"), "logging");
        assert_eq!(known_return("datetime.datetime.now"), Some("Self"));
    }
}
