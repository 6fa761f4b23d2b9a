//! Roaring bitmaps as rustdoc's search index stores them: the portable serialization
//! (cookies 12346 and 12347) plus stringdex's compact forms for tiny sets. Only decoding,
//! into a sorted list of values; every read is bounds-checked.

/// More values than this is not an index of a standard library: treat as corrupt.
const MAX_VALUES: usize = 1 << 24;

/// Decodes one bitmap starting at `bytes[0]`; returns its values, sorted and deduplicated,
/// and the number of bytes it took.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Vec<u32>, usize), String> {
    let mut r = Reader { bytes, pos: 0 };
    let Some(&tag) = bytes.first() else {
        return Ok((Vec::new(), 0));
    };
    let mut out = Vec::new();
    match tag {
        0 => {
            return Ok((out, 1));
        }
        0xf1..=0xff | 0xd1..=0xdf => {
            // A first value (low, high halves), then deltas of 16 (0xf_) or 8 (0xd_) bits.
            let n = usize::from(tag & 0x0f);
            r.pos = 1;
            let low = u32::from(r.u16()?);
            let high = u32::from(r.u16()?);
            let mut entry = (high << 16) | low;
            out.push(entry);
            for _ in 1..n {
                let delta = if tag >= 0xf1 {
                    u32::from(r.u16()?)
                } else {
                    u32::from(r.u8()?)
                };
                entry = entry
                    .checked_add(delta)
                    .ok_or("roaring bitmap: value overflow")?;
                out.push(entry);
            }
        }
        0xe1..=0xef => {
            // A run: a first value and a length.
            let n = u32::from(tag & 0x0f);
            r.pos = 1;
            let low = u32::from(r.u16()?);
            let high = u32::from(r.u16()?);
            let first = (high << 16) | low;
            for j in 0..n {
                out.push(
                    first
                        .checked_add(j)
                        .ok_or("roaring bitmap: value overflow")?,
                );
            }
        }
        1..=0x39 => {
            // Up to 57 values, each as (low, high) halves.
            r.pos = 1;
            for _ in 0..tag {
                let low = u32::from(r.u16()?);
                let high = u32::from(r.u16()?);
                out.push((high << 16) | low);
            }
        }
        0x3a | 0x3b => return decode_portable(bytes),
        other => return Err(format!("not a roaring bitmap (tag byte {other:#04x})")),
    }
    out.sort_unstable();
    out.dedup();
    Ok((out, r.pos))
}

/// The portable Roaring format (<https://github.com/RoaringBitmap/RoaringFormatSpec>).
fn decode_portable(bytes: &[u8]) -> Result<(Vec<u32>, usize), String> {
    let mut r = Reader { bytes, pos: 0 };
    let cookie = r.u32()?;
    let (size, run_flags) = if cookie == 12346 {
        let size = r.u32()? as usize;
        (size, None)
    } else if cookie & 0xffff == 12347 {
        let size = (cookie >> 16) as usize + 1;
        let flags = r.take(size.div_ceil(8))?;
        (size, Some(flags))
    } else {
        return Err(format!("not a roaring bitmap (cookie {cookie:#x})"));
    };
    if size > 1 << 16 {
        return Err(format!("roaring bitmap: {size} containers"));
    }
    let header = r.take(size.checked_mul(4).ok_or("roaring bitmap: size")?)?;
    let offsets = if run_flags.is_none() || size >= 4 {
        Some(r.take(size * 4)?)
    } else {
        None
    };
    let mut out = Vec::new();
    let mut last_key: Option<u16> = None;
    for i in 0..size {
        let key = u16::from_le_bytes([header[4 * i], header[4 * i + 1]]);
        if last_key.is_some_and(|k| k >= key) {
            return Err("roaring bitmap: keys out of order".into());
        }
        last_key = Some(key);
        let cardinality =
            usize::from(u16::from_le_bytes([header[4 * i + 2], header[4 * i + 3]])) + 1;
        if let Some(offsets) = offsets {
            let want = u32::from_le_bytes([
                offsets[4 * i],
                offsets[4 * i + 1],
                offsets[4 * i + 2],
                offsets[4 * i + 3],
            ]) as usize;
            if want != r.pos {
                return Err(format!(
                    "roaring bitmap: container {i} at byte {} but its offset says {want}",
                    r.pos
                ));
            }
        }
        let high = u32::from(key) << 16;
        let is_run = run_flags.is_some_and(|f| f[i / 8] >> (i % 8) & 1 == 1);
        if is_run {
            let runs = usize::from(r.u16()?);
            for _ in 0..runs {
                let start = u32::from(r.u16()?);
                let len = u32::from(r.u16()?);
                if start + len > 0xffff {
                    return Err("roaring bitmap: run past its container".into());
                }
                out.extend((start..=start + len).map(|v| high | v));
                if out.len() > MAX_VALUES {
                    return Err("roaring bitmap: too many values".into());
                }
            }
        } else if cardinality <= 4096 {
            for _ in 0..cardinality {
                out.push(high | u32::from(r.u16()?));
            }
        } else {
            let bits = r.take(8192)?;
            for (byte_index, byte) in bits.iter().enumerate() {
                for bit in 0..8 {
                    if byte >> bit & 1 == 1 {
                        out.push(high | (byte_index as u32 * 8 + bit));
                    }
                }
            }
        }
        if out.len() > MAX_VALUES {
            return Err("roaring bitmap: too many values".into());
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok((out, r.pos))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("roaring bitmap: truncated")?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Portable form with an array container and (size < 4) no offsets, with run flags.
    #[test]
    fn portable_with_runs() {
        // cookie 12347 | (size-1)<<16 with size 2; run flags: container 1 is a run.
        let mut b = vec![];
        b.extend_from_slice(&(12347u32 | (1 << 16)).to_le_bytes());
        b.push(0b10);
        b.extend_from_slice(&[0, 0, 1, 0]); // key 0, cardinality 2
        b.extend_from_slice(&[1, 0, 2, 0]); // key 1, cardinality 3
        b.extend_from_slice(&[5, 0, 9, 0]); // values 5, 9
        b.extend_from_slice(&[1, 0, 10, 0, 2, 0]); // one run: 10..=12
        let (v, used) = decode(&b).unwrap();
        assert_eq!(
            v,
            vec![5, 9, (1 << 16) | 10, (1 << 16) | 11, (1 << 16) | 12]
        );
        assert_eq!(used, b.len());
        // Any truncation is an error, never a panic.
        for cut in 1..b.len() {
            assert!(decode(&b[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn portable_without_runs_checks_offsets() {
        let mut b = vec![];
        b.extend_from_slice(&12346u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&[3, 0, 0, 0]); // key 3, cardinality 1
        b.extend_from_slice(&16u32.to_le_bytes()); // offset of the container
        b.extend_from_slice(&[7, 0]);
        assert_eq!(decode(&b).unwrap().0, vec![(3 << 16) | 7]);
        let mut bad = b.clone();
        bad[12] = 17;
        assert!(decode(&bad).is_err());
        // The empty bitmap rustdoc writes for columns without empty rows.
        let empty = [0x3a, 0x30, 0, 0, 0, 0, 0, 0];
        assert_eq!(decode(&empty).unwrap(), (vec![], 8));
    }

    #[test]
    fn compact_forms() {
        // 0xf2: a value then one 16-bit delta.
        assert_eq!(
            decode(&[0xf2, 4, 0, 1, 0, 3, 0]).unwrap().0,
            vec![65540, 65543]
        );
        // 0xd3: a value then two 8-bit deltas.
        assert_eq!(decode(&[0xd3, 4, 0, 0, 0, 1, 2]).unwrap().0, vec![4, 5, 7]);
        // 0xe3: a run of three.
        assert_eq!(decode(&[0xe3, 4, 0, 0, 0]).unwrap().0, vec![4, 5, 6]);
        // 2: two values.
        assert_eq!(decode(&[2, 9, 0, 0, 0, 1, 0, 0, 0]).unwrap().0, vec![1, 9]);
        assert!(decode(&[0xf2, 4, 0]).is_err());
        assert!(decode(&[0x50]).is_err());
    }
}
