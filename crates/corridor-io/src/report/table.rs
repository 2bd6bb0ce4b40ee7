//! The one text-table renderer every report uses (comfy-table underneath):
//! no borders, two spaces between columns, words left-aligned and numbers
//! right-aligned, widths from the widest cell (headers included), trailing
//! spaces trimmed. Reports choose the indent and which columns are numbers.

use comfy_table::{CellAlignment, ContentArrangement, Table as Inner, presets};

/// How a column's cells line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table being filled row by row.
pub struct Table {
    inner: Inner,
    align: Vec<Align>,
    has_header: bool,
}

impl Table {
    /// A table whose columns line up as `align` says (one entry per column).
    pub fn new(align: &[Align]) -> Self {
        let mut inner = Inner::new();
        inner.load_style(presets::NOTHING);
        inner.set_content_arrangement(ContentArrangement::Disabled);
        Self {
            inner,
            align: align.to_vec(),
            has_header: false,
        }
    }

    /// The header row (aligned like the cells below it).
    pub fn header<S: Into<String>>(mut self, cells: impl IntoIterator<Item = S>) -> Self {
        self.inner
            .set_header(cells.into_iter().map(Into::into).collect::<Vec<String>>());
        self.has_header = true;
        self
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.inner
            .add_row(cells.into_iter().map(Into::into).collect::<Vec<String>>());
    }

    pub fn is_empty(&self) -> bool {
        self.inner.row_count() == 0 && !self.has_header
    }

    /// The rendered lines, each padded to the full table width (so a caller
    /// can draw a rule as wide as the table) and not yet trimmed.
    pub fn padded_lines(mut self) -> Vec<String> {
        let align = self.align.clone();
        for (i, c) in self.inner.column_iter_mut().enumerate() {
            c.set_padding((if i == 0 { 0 } else { 2 }, 0));
            c.set_cell_alignment(match align.get(i) {
                Some(Align::Right) => CellAlignment::Right,
                _ => CellAlignment::Left,
            });
        }
        if self.inner.column_count() == 0 {
            return Vec::new();
        }
        self.inner.lines().collect()
    }

    /// The table as text: every line starts with `indent`, ends with a
    /// newline and has no trailing spaces.
    pub fn render(self, indent: &str) -> String {
        let mut out = String::new();
        for l in self.padded_lines() {
            let line = format!("{indent}{l}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_with_two_space_gaps() {
        let mut t = Table::new(&[Align::Left, Align::Right, Align::Left]).header([
            "kind",
            "capacity t/day",
            "name",
        ]);
        t.row(["border", "30,000", "Porubne–Siret (road)"]);
        t.row(["terminal-long-id", "8", ""]);
        assert_eq!(
            t.render("  "),
            "  kind              capacity t/day  name\n  border                    30,000  Porubne–Siret (road)\n  terminal-long-id               8\n"
        );
    }

    #[test]
    fn an_empty_table_renders_nothing() {
        assert_eq!(Table::new(&[]).render("  "), "");
    }
}
