//! Valid uses of items that item macros (`cfg_rt! { … }`, `cfg_sync!`),
//! `cfg`, `cfg_attr` and `thread_local!` make: nothing is reported.
use std::time::Duration;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use rand::rngs::{SmallRng, StdRng, ThreadRng};
use rand::{Rng, SeedableRng};
use tokio::io::AsyncWriteExt;
use tokio::sync::{broadcast, mpsc, oneshot, watch, Mutex, RwLock, Semaphore};

pub async fn tokio_items() -> std::io::Result<()> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let _ = tokio::time::timeout(Duration::from_millis(1), async { 1 }).await;
    let _ = tokio::time::interval(Duration::from_secs(1));
    let _ = tokio::time::Instant::now();
    let (tx, _rx) = mpsc::channel::<u8>(4);
    let _ = tx.capacity();
    let (_utx, _urx) = mpsc::unbounded_channel::<u8>();
    let _ = oneshot::channel::<u8>();
    let _ = broadcast::channel::<u8>(4);
    let _ = watch::channel(0u8);
    let _ = Mutex::new(1u8);
    let _ = RwLock::new(1u8);
    let _ = Semaphore::new(2);
    let _ = tokio::sync::Notify::new();
    let _ = tokio::task::spawn_blocking(|| 1).await;
    let _ = tokio::task::yield_now().await;
    let _ = tokio::spawn(async { 2 }).await;
    let _ = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let _ = tokio::runtime::Handle::try_current();
    let _ = tokio::fs::read_to_string("Cargo.toml").await?;
    let _ = tokio::fs::metadata("Cargo.toml").await?;
    let _ = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let _ = tokio::signal::ctrl_c();
    let _ = tokio::process::Command::new("true");
    tokio::io::stdout().write_all(b"").await?;
    let _ = tokio::join!(async { 1 }, async { 2 });
    Ok(())
}

pub fn chrono_items() -> i64 {
    let d = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let _ = Utc::now();
    let _ = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5);
    let _ = chrono::Local::now();
    let _ = chrono::NaiveDate::MIN;
    let _ = chrono::Weekday::Mon;
    let _ = chrono::Month::January;
    let _ = chrono::TimeDelta::seconds(1);
    let _ = chrono::FixedOffset::east_opt(3600);
    d.year() as i64
}

pub fn rand_items() -> u32 {
    let mut rng: ThreadRng = rand::rng();
    let _ = StdRng::seed_from_u64(1);
    let _ = SmallRng::seed_from_u64(2);
    let _ = rand::rngs::OsRng;
    let _ = rand::distr::Uniform::new(0u32, 10);
    rng.random_range(0..10)
}
