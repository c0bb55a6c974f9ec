//! Digests and keys: 128-bit xxh3 digests of bytes, and [`Key`]s built from several parts
//! (what an output depends on). Collisions are not a concern at this width for
//! non-adversarial input, and xxh3 hashes tens of GB/s, so keying every file of a 100k-page
//! site costs milliseconds. [`Stamp`] is how a file looked (size, time, inode) when it was
//! read or written.

use std::time::{SystemTime, UNIX_EPOCH};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A 128-bit digest.
pub type Digest = u128;

/// Digest of a byte string.
pub fn digest(bytes: &[u8]) -> Digest {
    xxh3_128(bytes)
}

/// Builds a digest from several parts. Every part is length-prefixed, so `("ab", "c")` and
/// `("a", "bc")` differ.
#[derive(Clone, Default)]
pub struct Key(Xxh3);

impl Key {
    /// An empty key.
    pub fn new() -> Key {
        Key(Xxh3::new())
    }

    /// Add a string.
    pub fn str(&mut self, s: &str) -> &mut Key {
        self.bytes(s.as_bytes())
    }

    /// Add bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Key {
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    /// Add an optional string (absent differs from empty).
    pub fn opt(&mut self, s: Option<&str>) -> &mut Key {
        match s {
            Some(s) => self.num(1).str(s),
            None => self.num(0),
        }
    }

    /// Add a number.
    pub fn num(&mut self, n: u128) -> &mut Key {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// The digest so far.
    pub fn finish(&self) -> Digest {
        self.0.digest128()
    }
}

/// Serialized values (`serde_json::to_writer`) go straight into the digest.
impl std::io::Write for Key {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How a file looked when it was read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: u128,
    /// Inode number (0 where the platform has none).
    pub ino: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime =
            meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let ino = 0;
        Stamp { size: meta.len(), mtime, ino }
    }

    /// Whether a file with this stamp, read now, could still change without its stamp
    /// changing (file systems with coarse timestamps): then it must not be trusted later.
    pub fn is_racy(&self) -> bool {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        now.saturating_sub(self.mtime) < 2_000_000_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited() {
        assert_ne!(Key::new().str("ab").str("c").finish(), Key::new().str("a").str("bc").finish());
        assert_ne!(Key::new().opt(None).finish(), Key::new().opt(Some("")).finish());
        assert_eq!(Key::new().str("x").num(3).finish(), Key::new().str("x").num(3).finish());
    }
}
