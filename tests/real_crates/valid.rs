//! Real uses of popular crates: nothing may be reported.
use anyhow::{anyhow, bail, Context, Result};
use clap::{Arg, ArgAction, Command, Parser};
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Parser, Debug)]
#[command(name = "demo")]
pub struct Args {
    #[arg(long)]
    pub name: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub fn parse_json(text: &str) -> Result<Value> {
    let v: Value = serde_json::from_str(text).context("bad json")?;
    let s = serde_json::to_string(&v)?;
    let pretty = serde_json::to_string_pretty(&json!({"a": 1}))?;
    if s.is_empty() || pretty.is_empty() {
        bail!("empty");
    }
    let p: Point = serde_json::from_value(json!({"x": 1, "y": 2}))?;
    let back = serde_json::to_value(&p)?;
    if back.get("x").and_then(Value::as_i64) != Some(1) {
        return Err(anyhow!("mismatch"));
    }
    Ok(v)
}

pub fn find(text: &str) -> Option<String> {
    let re = Regex::new(r"(\d+)-(\d+)").ok()?;
    let ok = re.is_match(text);
    let caps = re.captures(text)?;
    let all: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
    let replaced = re.replace_all(text, "$2-$1");
    if ok && !all.is_empty() {
        return Some(format!("{} {}", &caps[1], replaced));
    }
    None
}

pub fn cli() -> Command {
    Command::new("demo")
        .about("demo")
        .arg(Arg::new("verbose").long("verbose").action(ArgAction::SetTrue))
}

pub fn args() -> Args {
    Args::parse_from(["demo", "--name", "x"])
}

pub fn methods(text: &str) -> usize {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let n = v.as_object().map(|o| o.len()).unwrap_or(0);
    let nulls = v.is_null() as usize + v.pointer("/a").is_some() as usize;
    let mut m = serde_json::Map::new();
    m.insert("k".to_string(), Value::Bool(true));
    let keys = m.keys().count() + m.len();
    let cmd: Command = Command::new("x");
    let name = cmd.get_name().len();
    let re: Regex = Regex::new("a").unwrap();
    let hits = re.find_iter(text).count() + re.as_str().len();
    let err = anyhow::Error::msg("x");
    let chain = err.chain().count() + err.root_cause().to_string().len();
    n + nulls + keys + name + hits + chain
}
