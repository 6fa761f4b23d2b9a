//! Trait methods on receivers whose type does not implement the trait
//! (std's impls as its pages show them, itertools' blanket impl bound by
//! `Iterator`), and methods whose trait is not in scope: each is reported.
use itertools::Itertools;

pub fn not_implemented(text: &str) {
    let _: i32 = vec![1, 2].sum(); // expect: unknown-member
    let _ = vec![1, 2].map(|x| x + 1); // expect: unknown-member
    let _ = vec![3, 1].sorted(); // expect: unknown-member
    let _ = std::collections::HashMap::<u8, u8>::new().sorted(); // expect: unknown-member
    let _ = text.rev(); // expect: unknown-member
    let _ = Some(1).collect::<Vec<_>>(); // expect: unknown-member
    let _ = text.split(' ').len(); // expect: unknown-member
    let _ = std::path::Path::new(text).to_string(); // expect: unknown-member
    let _ = std::time::Duration::from_secs(1).to_string(); // expect: unknown-member
}

pub fn receivers(text: &str) {
    let _ = serde_json::Value::Null.as_string(); // expect: unknown-member
    let _ = Some(text).is_some_with(|t| t.is_empty()); // expect: unknown-member
    let _ = vec![1, 2].iter().maximum(); // expect: unknown-member
    let _ = [3, 1].iter().sort(); // expect: unknown-member
}

pub fn not_in_scope(text: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(text)?;
    let _ = file.write(b"x"); // expect: unknown-member
    let _ = std::io::stdin().lock().read_line(&mut String::new()); // expect: unknown-member
    Ok(())
}
