//! Trait methods on receivers that implement the trait, with the trait in
//! scope: nothing is reported.
use itertools::Itertools;
use std::io::{BufRead, Write};

pub fn implemented(text: &str) -> usize {
    let a: i32 = vec![1, 2].into_iter().sum();
    let b = vec![3, 1].into_iter().sorted().count();
    let c = (0..3).join(",").len() + (0..3).unique().count();
    let d = text.chars().rev().count() + text.split(' ').count();
    let e = Some(1).into_iter().collect::<Vec<_>>().len();
    let f = [1, 2].iter().len() + vec![1, 2].iter().map(|x| x + 1).count();
    let g = std::path::Path::new(text).display().to_string().len();
    let h = 1i32.to_string().len() + 'a'.to_string().len() + text.to_string().len();
    let i = serde_json::Value::Null.as_str().map_or(0, str::len);
    let j = vec![1, 2].iter().copied().max().unwrap_or(0);
    let k = usize::from(Some(text).is_some_and(|t| t.is_empty()));
    a as usize + b + c + d + e + f + g + h + i + j + k
}

pub fn in_scope(text: &str) -> std::io::Result<usize> {
    let mut file = std::fs::File::create(text)?;
    let n = file.write(b"x")?;
    let mut line = String::new();
    let m = std::io::stdin().lock().read_line(&mut line)?;
    Ok(n + m)
}
