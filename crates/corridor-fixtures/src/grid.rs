//! Rail grids written straight to CSV: the country-scale networks of the
//! scale benchmark (`bench/scale.sh`), from 100k to 2M links.
//!
//! A `rows × cols` grid of stations 0.01° apart, one rail link (1435 mm, a
//! length and a capacity) between each pair of neighbours, written row by
//! row to `nodes.csv` and `links.csv` of a CSV bundle without building a
//! [`corridor_model::Network`] first, so generating 2M links costs no more
//! memory than generating 10. Lengths and capacities vary with a cheap
//! integer hash of the link, so the same size always gives the same bytes.

use std::io::{self, Write};

/// The grid's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridConfig {
    /// Rows of stations (south–north); at least 1.
    pub rows: usize,
    /// Columns of stations (west–east); at least 1.
    pub cols: usize,
}

impl GridConfig {
    pub fn n_nodes(&self) -> usize {
        self.rows * self.cols
    }

    /// West–east links plus south–north links.
    pub fn n_links(&self) -> usize {
        self.rows * self.cols.saturating_sub(1) + self.cols * self.rows.saturating_sub(1)
    }

    /// The square grid whose link count is closest to `links` from above.
    pub fn square_with_links(links: usize) -> Self {
        let mut side = 1;
        while (Self {
            rows: side,
            cols: side,
        })
        .n_links()
            < links
        {
            side += 1;
        }
        Self {
            rows: side,
            cols: side,
        }
    }

    /// Id of the station at `row`, `col` (what `--from`/`--to` name).
    pub fn node_id(row: usize, col: usize) -> String {
        format!("n{row}_{col}")
    }
}

/// Writes `nodes.csv` (`id,kind,lon,lat,country`).
pub fn write_nodes(cfg: &GridConfig, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "id,kind,lon,lat,country")?;
    for r in 0..cfg.rows {
        for c in 0..cfg.cols {
            let (lon, lat) = position(r, c);
            writeln!(out, "n{r}_{c},station,{lon:.4},{lat:.4},DE")?;
        }
    }
    Ok(())
}

/// Writes `links.csv` (`id,from,to,mode,gauge,length,capacity`): for each
/// station its link east (`e…`) then its link north (`n…`).
pub fn write_links(cfg: &GridConfig, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "id,from,to,mode,gauge,length,capacity")?;
    for r in 0..cfg.rows {
        for c in 0..cfg.cols {
            if c + 1 < cfg.cols {
                link(out, 'e', (r, c), (r, c + 1))?;
            }
            if r + 1 < cfg.rows {
                link(out, 'n', (r, c), (r + 1, c))?;
            }
        }
    }
    Ok(())
}

fn link(
    out: &mut impl Write,
    dir: char,
    (r, c): (usize, usize),
    (r2, c2): (usize, usize),
) -> io::Result<()> {
    let h = mix((r as u64) << 32 | (c as u64) << 1 | u64::from(dir == 'n'));
    // 0.8–1.6 km: a 0.01° step is ~0.7–1.1 km here, plus a detour.
    let km = 0.8 + (h % 800) as f64 / 1000.0;
    // 20,000–60,000 t/day in steps of 5,000.
    let capacity = 20_000 + 5_000 * ((h >> 20) % 9);
    writeln!(
        out,
        "{dir}{r}_{c},n{r}_{c},n{r2}_{c2},rail,1435,{km:.3},{capacity}"
    )
}

/// Writes the same grid as one TOML network (`[[nodes]]` then
/// `[[links]]` tables, the same ids, positions, lengths and capacities as
/// [`write_nodes`] and [`write_links`]), for comparing the TOML reader with
/// the CSV bundle's.
pub fn write_toml(cfg: &GridConfig, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "[network]\nname = \"grid\"\n")?;
    for r in 0..cfg.rows {
        for c in 0..cfg.cols {
            let (lon, lat) = position(r, c);
            writeln!(
                out,
                "[[nodes]]\nid = \"n{r}_{c}\"\nkind = \"station\"\nlon = {lon:.4}\nlat = {lat:.4}\ncountry = \"DE\"\n"
            )?;
        }
    }
    let mut csv = Vec::new();
    for r in 0..cfg.rows {
        for c in 0..cfg.cols {
            let mut ends = Vec::new();
            if c + 1 < cfg.cols {
                ends.push(('e', (r, c + 1)));
            }
            if r + 1 < cfg.rows {
                ends.push(('n', (r + 1, c)));
            }
            for (dir, to) in ends {
                csv.clear();
                link(&mut csv, dir, (r, c), to)?;
                let line = String::from_utf8_lossy(&csv);
                let cells: Vec<&str> = line.trim_end().split(',').collect();
                let [id, from, to, mode, gauge, km, capacity] = cells[..] else {
                    unreachable!("seven cells")
                };
                writeln!(
                    out,
                    "[[links]]\nid = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\nmode = \"{mode}\"\ngauge = {gauge}\nlength = {km}\ncapacity = {capacity}\n"
                )?;
            }
        }
    }
    Ok(())
}

/// Lon/lat of a station: a grid from 5°E, 40°N, 0.01° apart.
fn position(r: usize, c: usize) -> (f64, f64) {
    (5.0 + c as f64 * 0.01, 40.0 + r as f64 * 0.01)
}

/// SplitMix64's finaliser: a well-spread hash of a small integer.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_rows_written() {
        let cfg = GridConfig { rows: 3, cols: 4 };
        let (mut nodes, mut links) = (Vec::new(), Vec::new());
        write_nodes(&cfg, &mut nodes).unwrap();
        write_links(&cfg, &mut links).unwrap();
        let lines = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap().lines().count();
        assert_eq!(lines(&nodes), 1 + cfg.n_nodes());
        assert_eq!(lines(&links), 1 + cfg.n_links());
        assert_eq!(cfg.n_links(), 3 * 3 + 4 * 2);
        let text = String::from_utf8(links).unwrap();
        assert!(text.contains("\ne0_0,n0_0,n0_1,rail,1435,"), "{text}");
        assert!(text.contains("\nn1_3,n1_3,n2_3,rail,1435,"), "{text}");
        let mut toml = Vec::new();
        write_toml(&cfg, &mut toml).unwrap();
        let toml = String::from_utf8(toml).unwrap();
        assert_eq!(toml.matches("[[nodes]]").count(), cfg.n_nodes());
        assert_eq!(toml.matches("[[links]]").count(), cfg.n_links());
        assert!(toml.contains("[[links]]\nid = \"n1_3\"\nfrom = \"n1_3\"\nto = \"n2_3\"\nmode = \"rail\"\ngauge = 1435\n"), "{toml}");
    }

    #[test]
    fn the_issue_grid_has_its_link_count() {
        let cfg = GridConfig {
            rows: 1000,
            cols: 1000,
        };
        assert_eq!(cfg.n_links(), 1_998_000);
        let sq = GridConfig::square_with_links(100_000);
        assert!(sq.n_links() >= 100_000 && sq.n_links() < 101_000, "{sq:?}");
    }
}
