//! Paths in their namespaces (issue 18, point 4): derives, macros, `<T as
//! Trait>::item` and struct literals that compile give nothing.
use clap::Parser;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    pub name: String,
}

#[derive(Parser, Debug)]
pub struct Args {
    #[arg(long)]
    pub verbose: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    Run,
    Stop,
}

#[derive(clap::ValueEnum, Clone, Debug)]
pub enum Level {
    Low,
    High,
}

#[derive(clap::Args, Debug)]
pub struct Extra {
    #[arg(long)]
    pub n: u32,
}

#[derive(serde::Serialize, std::fmt::Debug, core::hash::Hash)]
pub struct Qualified {
    pub a: u32,
}

pub fn macros() -> anyhow::Result<serde_json::Value> {
    let e = anyhow::anyhow!("x");
    let f = anyhow::format_err!("y");
    anyhow::ensure!(e.to_string() != f.to_string(), "same");
    if e.to_string().is_empty() {
        anyhow::bail!("empty");
    }
    Ok(serde_json::json!({"a": 1}))
}

pub fn qualified() -> usize {
    let a = <Vec<u8> as Default>::default();
    let b = <u32 as std::str::FromStr>::from_str("1").unwrap_or(0);
    let c: Option<<Vec<u8> as IntoIterator>::Item> = None;
    let d = <Args as clap::Parser>::parse_from(["app"]);
    let e = <String as From<&str>>::from("a");
    a.len() + b as usize + c.map_or(0, usize::from) + d.verbose as usize + e.len()
}

pub fn literals() -> u32 {
    let r = std::ops::Range { start: 0, end: 3 };
    let c = Config {
        name: String::new(),
    };
    let x = Extra { n: 1 };
    r.end + c.name.len() as u32 + x.n
}
