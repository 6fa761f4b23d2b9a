//! TEMPORARY placeholder with the agreed API; replaced by the env-discovery branch.
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvOrigin { Flag, Config, VirtualEnv, Conda, WorkspaceVenv, Path }
pub struct EnvRequest<'a> {
    pub workspace_root: &'a Path,
    pub flag_python: Option<&'a Path>,
    pub config_python: Option<&'a Path>,
    pub env_vars: &'a dyn Fn(&str) -> Option<String>,
    pub cache_dir: Option<&'a Path>,
    pub trusted: bool,
}
#[derive(Debug, Clone)]
pub struct PythonEnv {
    pub origin: EnvOrigin,
    pub interpreter: PathBuf,
    pub version: (u32, u32, u32),
    pub platform: String,
    pub prefix: PathBuf,
    pub base_prefix: PathBuf,
    pub search_path: Vec<PathBuf>,
    pub stdlib_dirs: Vec<PathBuf>,
    pub site_packages: Vec<PathBuf>,
    pub editable_mappings: Vec<(String, PathBuf)>,
    pub stdlib_module_names: BTreeSet<String>,
    pub builtin_module_names: BTreeSet<String>,
    pub builtins: BTreeSet<String>,
    pub notes: Vec<String>,
}
#[derive(Debug)]
pub enum EnvError { NotFound(String), Broken { interpreter: PathBuf, reason: String } }
impl std::fmt::Display for EnvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self { EnvError::NotFound(s) => write!(f, "{s}"), EnvError::Broken { interpreter, reason } => write!(f, "{}: {reason}", interpreter.display()) }
    }
}
#[derive(Debug, Default)]
pub struct StdlibDump { pub modules: HashMap<String, DumpModule> }
#[derive(Debug, Default)]
pub struct DumpModule { pub members: HashMap<String, DumpMember> }
#[derive(Debug, Clone)]
pub enum DumpMember { Class { members: Vec<String> }, Function, Module { name: String }, Variable { type_name: String } }

pub fn default_cache_dir() -> Option<PathBuf> { None }

pub fn discover(_req: &EnvRequest) -> Result<PythonEnv, EnvError> {
    let out = std::process::Command::new("python3").args(["-I", "-B", "-c", r#"
import sys, json, builtins, sysconfig
print(json.dumps({"path": [p for p in sys.path if p], "v": list(sys.version_info[:3]), "platform": sys.platform, "prefix": sys.prefix, "base_prefix": sys.base_prefix, "stdlib": sorted(sys.stdlib_module_names), "builtin": sorted(sys.builtin_module_names), "builtins": dir(builtins), "exe": sys.executable, "stdlib_dir": sysconfig.get_paths()["stdlib"], "site": sysconfig.get_paths()["purelib"]}))
"#]).output().map_err(|e| EnvError::NotFound(e.to_string()))?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| EnvError::NotFound(e.to_string()))?;
    let strs = |k: &str| v[k].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect::<Vec<_>>()).unwrap_or_default();
    let ver = strs("v");
    let vv: Vec<u32> = v["v"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect();
    let _ = ver;
    let stdlib_dir = PathBuf::from(v["stdlib_dir"].as_str().unwrap());
    Ok(PythonEnv {
        origin: EnvOrigin::Path,
        interpreter: PathBuf::from(v["exe"].as_str().unwrap()),
        version: (vv[0], vv[1], vv[2]),
        platform: v["platform"].as_str().unwrap().into(),
        prefix: v["prefix"].as_str().unwrap().into(),
        base_prefix: v["base_prefix"].as_str().unwrap().into(),
        search_path: strs("path").into_iter().map(PathBuf::from).collect(),
        stdlib_dirs: vec![stdlib_dir.clone(), stdlib_dir.join("lib-dynload")],
        site_packages: vec![PathBuf::from(v["site"].as_str().unwrap())],
        editable_mappings: vec![],
        stdlib_module_names: strs("stdlib").into_iter().collect(),
        builtin_module_names: strs("builtin").into_iter().collect(),
        builtins: strs("builtins").into_iter().collect(),
        notes: vec![],
    })
}

pub fn stdlib_dump(_env: &PythonEnv, _cache_dir: Option<&Path>, _trusted: bool) -> Result<StdlibDump, EnvError> {
    Ok(StdlibDump::default())
}
