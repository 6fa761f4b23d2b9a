//! Near misses of items that item macros and `cfg` make: each is reported.
use rand::rngs::ThreadRng;
use tokio::sync::Channel; // expect: unresolved-symbol

pub async fn tokio_misses() {
    tokio::time::sleep_secs(1).await; // expect: unresolved-symbol
    let _ = tokio::time::delay_for(std::time::Duration::from_millis(1)); // expect: unresolved-symbol
    let _ = tokio::sync::mpsc::bounded_channel::<u8>(4); // expect: unresolved-symbol
    let _ = tokio::sync::oneshot::new::<u8>(); // expect: unresolved-symbol
    let _ = tokio::task::spawn_detached(async {}); // expect: unresolved-symbol
    let _ = tokio::fs::read_string("Cargo.toml"); // expect: unresolved-symbol
    let _ = tokio::net::TcpServer::bind("127.0.0.1:0"); // expect: unresolved-module
    let _ = tokio::runtime::current_handle(); // expect: unresolved-symbol
}

pub fn chrono_misses() {
    let _ = chrono::NaiveDate::from_ymd_checked(2024, 1, 2); // expect: unknown-member
    let _ = chrono::Utc::today_utc(); // expect: unknown-member
    let _ = chrono::TimeDelta::from_secs(1); // expect: unknown-member
    let _ = chrono::Weekday::Monday; // expect: unknown-member
}

pub fn rand_misses() {
    let _ = ThreadRng::new(); // expect: unknown-member
    let _ = rand::rngs::StdRng::from_entropy(); // expect: unknown-member
    let _ = rand::thread_rng_now(); // expect: unresolved-symbol
}
