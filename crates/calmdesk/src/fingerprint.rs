/// A hash over every model's name and bytes, eight bytes at a time. The embedded models' is
/// computed when the binary is built: `build.rs` includes this file too.
fn fingerprint<'a>(parts: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            hash = (hash ^ u64::from_le_bytes(w)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            hash ^= hash >> 29;
        }
        for &b in words.remainder() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (name, bytes) in parts {
        eat(name.as_bytes());
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(bytes);
    }
    format!("m-{hash:016x}")
}
