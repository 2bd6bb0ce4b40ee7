//! The byte-level encoding of compiled networks: little-endian fixed-width
//! numbers, length-prefixed UTF-8 strings and lists. [`Enc`] appends to a
//! buffer; [`Dec`] reads from a slice and turns every overrun, bad tag or
//! bad UTF-8 into a [`Corrupt`] message instead of a panic, because the
//! bytes come from a file anyone can edit.

use corridor_model::{CommodityRule, Layer, Mode, ModeTable, SourceRef};
use std::collections::HashMap;
use std::sync::Arc;

/// What is wrong inside a section (the caller adds file and section).
#[derive(Debug)]
pub(crate) struct Corrupt(pub String);

pub(crate) type DecResult<T> = Result<T, Corrupt>;

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Enc {
    pub buf: Vec<u8>,
    /// Source file names in the order first met (section `FILE`).
    pub files: Vec<Arc<str>>,
    file_index: HashMap<Arc<str>, u32>,
}

impl Enc {
    /// An element's origin: index into the file table plus one (0 for
    /// none), then the line.
    pub fn source(&mut self, s: Option<&SourceRef>) {
        let Some(s) = s else {
            self.u32(0);
            self.u64(0);
            return;
        };
        let next = u32::try_from(self.files.len() + 1).expect("too many source files");
        let i = *self.file_index.entry(s.file.clone()).or_insert(next);
        if i == next {
            self.files.push(s.file.clone());
        }
        self.u32(i);
        self.u64(s.line);
    }
    pub fn u8(&mut self, x: u8) {
        self.buf.push(x);
    }
    pub fn u16(&mut self, x: u16) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u32(&mut self, x: u32) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u64(&mut self, x: u64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn f64(&mut self, x: f64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }
    pub fn bool(&mut self, x: bool) {
        self.u8(u8::from(x));
    }
    /// A length (u32) then the UTF-8 bytes.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("more than u32::MAX items in one field"));
    }
    pub fn strs(&mut self, list: &[String]) {
        self.len(list.len());
        for s in list {
            self.str(s);
        }
    }
    /// A presence byte (0 or 1) then the value.
    pub fn opt_f64(&mut self, x: Option<f64>) {
        self.bool(x.is_some());
        if let Some(x) = x {
            self.f64(x);
        }
    }
    pub fn opt_str(&mut self, x: Option<&str>) {
        self.bool(x.is_some());
        if let Some(x) = x {
            self.str(x);
        }
    }
    pub fn mode(&mut self, m: Mode) {
        self.u8(match m {
            Mode::Road => 0,
            Mode::Rail => 1,
            Mode::Sea => 2,
            Mode::River => 3,
        });
    }
    /// A presence byte then the gauge (u16).
    pub fn gauge(&mut self, g: Option<u16>) {
        self.bool(g.is_some());
        self.u16(g.unwrap_or(0));
    }
    pub fn layer(&mut self, l: &Layer) {
        self.mode(l.mode);
        self.gauge(l.gauge_mm);
    }
    pub fn rule(&mut self, r: &CommodityRule) {
        self.strs(&r.allowed);
        self.strs(&r.banned);
    }
    pub fn table(&mut self, t: &ModeTable<f64>) {
        for m in Mode::ALL {
            self.f64(*t.get(m));
        }
    }
}

/// Reads values from a slice, refusing overruns and bad values.
pub(crate) struct Dec<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
    /// The source files named by elements (section `FILE`), shared.
    pub files: &'a [Arc<str>],
}

impl<'a> Dec<'a> {
    pub fn new(bytes: &'a [u8], files: &'a [Arc<str>]) -> Self {
        Self {
            bytes,
            pos: 0,
            files,
        }
    }
    pub fn at(bytes: &'a [u8], pos: usize, files: &'a [Arc<str>]) -> Self {
        Self { bytes, pos, files }
    }
    pub fn take(&mut self, n: usize) -> DecResult<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(Corrupt(format!(
                "{n} bytes wanted at byte {} of {}",
                self.pos,
                self.bytes.len()
            )));
        };
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> DecResult<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> DecResult<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u16(&mut self) -> DecResult<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> DecResult<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> DecResult<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn f64(&mut self) -> DecResult<f64> {
        Ok(f64::from_le_bytes(self.array()?))
    }
    pub fn bool(&mut self) -> DecResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            x => Err(Corrupt(format!("flag {x} at byte {}", self.pos - 1))),
        }
    }
    /// A count of items that each take at least `min_bytes`, so a corrupt
    /// count cannot make the reader reserve more than the file holds.
    pub fn count(&mut self, min_bytes: usize) -> DecResult<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() - self.pos {
            return Err(Corrupt(format!(
                "count {n} at byte {} exceeds the section",
                self.pos - 4
            )));
        }
        Ok(n)
    }
    pub fn str(&mut self) -> DecResult<String> {
        self.text().map(str::to_string)
    }
    /// A string borrowed from the file: ids and names are copied from it
    /// straight into the model's inline strings, with no heap copy between.
    pub fn text(&mut self) -> DecResult<&'a str> {
        let n = self.u32()? as usize;
        let at = self.pos;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| Corrupt(format!("text at byte {at} is not UTF-8")))
    }
    pub fn opt_text(&mut self) -> DecResult<Option<&'a str>> {
        Ok(if self.bool()? {
            Some(self.text()?)
        } else {
            None
        })
    }
    pub fn strs(&mut self) -> DecResult<Vec<String>> {
        let n = self.count(4)?;
        (0..n).map(|_| self.str()).collect()
    }
    pub fn opt_f64(&mut self) -> DecResult<Option<f64>> {
        Ok(if self.bool()? {
            Some(self.f64()?)
        } else {
            None
        })
    }
    pub fn opt_str(&mut self) -> DecResult<Option<String>> {
        Ok(if self.bool()? {
            Some(self.str()?)
        } else {
            None
        })
    }
    pub fn mode(&mut self) -> DecResult<Mode> {
        match self.u8()? {
            0 => Ok(Mode::Road),
            1 => Ok(Mode::Rail),
            2 => Ok(Mode::Sea),
            3 => Ok(Mode::River),
            x => Err(Corrupt(format!("mode {x} at byte {}", self.pos - 1))),
        }
    }
    pub fn gauge(&mut self) -> DecResult<Option<u16>> {
        let some = self.bool()?;
        let g = self.u16()?;
        Ok(some.then_some(g))
    }
    pub fn layer(&mut self) -> DecResult<Layer> {
        Ok(Layer::new(self.mode()?, self.gauge()?))
    }
    pub fn rule(&mut self) -> DecResult<CommodityRule> {
        Ok(CommodityRule {
            allowed: self.strs()?,
            banned: self.strs()?,
        })
    }
    pub fn table(&mut self) -> DecResult<ModeTable<f64>> {
        Ok(ModeTable {
            road: self.f64()?,
            rail: self.f64()?,
            sea: self.f64()?,
            river: self.f64()?,
        })
    }
    /// An element's origin: index into the file table plus one (0 for
    /// none), then the line.
    pub fn source(&mut self) -> DecResult<Option<SourceRef>> {
        let file = self.u32()? as usize;
        let line = self.u64()?;
        if file == 0 {
            return Ok(None);
        }
        let Some(name) = self.files.get(file - 1) else {
            return Err(Corrupt(format!(
                "source file {file} at byte {} is not in the file table",
                self.pos - 12
            )));
        };
        Ok(Some(SourceRef {
            file: name.clone(),
            line,
        }))
    }
}
