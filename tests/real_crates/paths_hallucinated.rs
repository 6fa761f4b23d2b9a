//! Near misses in paths and namespaces (issue 18, point 4): each is reported.
use clap::Parser;

#[derive(clap::Parsers)] // expect: unresolved-symbol
pub struct A;

#[derive(Debugg)] // expect: undefined-name
pub struct B;

#[derive(Clone, Deserialize)] // expect: undefined-name
pub struct C;

#[derive(Parser, Debug)]
pub struct Args {
    #[arg(long)]
    pub verbose: bool,
}

pub fn macros() {
    let _ = anyhow::error!("x"); // expect: unresolved-symbol
    let _ = serde_json::value!(1); // expect: unresolved-symbol
}

pub fn qualified() {
    let _ = <Vec<u8> as Default>::new(); // expect: unknown-member
    let _ = <u32 as std::str::FromStr>::parse("1"); // expect: unknown-member
    let _ = <Args as clap::Parser>::parse_args(); // expect: unknown-member
}

pub fn literals() {
    let _ = std::ops::Range { begin: 0, end: 3 }; // expect: unknown-member
}
