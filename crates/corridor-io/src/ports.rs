//! Port lists as network nodes: the NGA World Port Index CSV
//! (`UpdatedPub150.csv`), searoute's ports GeoJSON, or the UN/LOCODE list
//! (`unlocode.csv`: sea ports, rail terminals and inland depots, border
//! crossings), keyed on UN/LOCODE.
//!
//! Each port becomes a node of kind `port` with no links of its own:
//! `corridor merge` joins it to sea lanes and land networks and gives it a
//! terminal with the transfers between the layers it reaches. This module does not snap or
//! join anything.
//!
//! A sea port's deepest draught becomes its `max_draught_m=…` tag (which
//! keeps deeper vessel classes from calling, see
//! [`corridor_model::VesselClass::calls_at`]): the cited figure of the
//! shipped `data/ports/draughts.csv` where it has the port, whatever the
//! port list; else the World Port Index's `Maximum Vessel Draft (m)` when
//! known; else none.

use crate::open_data::{
    check_lon_lat, column, csv_with_headers, geojson_features, import_error, read_text, records,
};
use corridor_model::{Network, Node, NodeKind};
use std::path::Path;

pub use corridor_model::results::PortsSummary;

/// Removes spaces (`"DE HAM"` → `DEHAM`) and checks the 2+3 shape.
pub fn normalize_unlocode(s: &str) -> Option<String> {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let c = c.to_ascii_uppercase();
    let b = c.as_bytes();
    (b.len() == 5
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..].iter().all(u8::is_ascii_alphanumeric))
    .then_some(c)
}

/// Reads a World Port Index CSV (by `.csv`) or a searoute ports GeoJSON.
pub fn read_ports(path: &Path) -> crate::Result<(Network, PortsSummary)> {
    let (text, file) = read_text(path)?;
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    if first.starts_with("country,location,") {
        unlocode_from_str(&text, &file)
    } else if file.to_ascii_lowercase().ends_with(".csv") {
        wpi_from_str(&text, &file)
    } else {
        searoute_ports_from_str(&text, &file)
    }
}

struct Port {
    id: String,
    kind: NodeKind,
    name: String,
    lon: f64,
    lat: f64,
    tags: Vec<String>,
}

/// The shipped table of cited port draughts (UN/LOCODE, metres).
pub const PORT_DRAUGHTS_CSV: &str = include_str!("../../../data/ports/draughts.csv");

/// The shipped port draughts: (UN/LOCODE, max draught m).
pub fn shipped_port_draughts() -> Vec<(String, f64)> {
    let mut r = crate::csv_rows::csv_reader(true).from_reader(PORT_DRAUGHTS_CSV.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.expect("the shipped draught table parses");
            let m: f64 = rec[2].parse().expect("a draught in metres");
            (rec[0].to_string(), m)
        })
        .collect()
}

/// Sets a port's draught tag, replacing one it had.
fn set_draught(tags: &mut Vec<String>, m: f64) {
    let key = format!("{}=", corridor_model::PORT_DRAUGHT_TAG);
    tags.retain(|t| !t.starts_with(&key));
    tags.push(format!("{key}{m}"));
}

fn finish(ports: Vec<Port>, mut summary: PortsSummary) -> (Network, PortsSummary) {
    let mut net = Network::new("ports");
    let draughts = shipped_port_draughts();
    // Keep the first record of a duplicated code, in file order.
    for p in ports {
        if net.node_id(&p.id).is_some() {
            *summary
                .skipped
                .entry("duplicate UN/LOCODE (first kept)".into())
                .or_default() += 1;
            continue;
        }
        let country = if normalize_unlocode(&p.id).is_some() {
            p.id[..2].to_string()
        } else {
            String::new()
        };
        let mut n = Node::new(&p.id, p.kind, p.lon, p.lat, &country);
        n.name = p.name.as_str().into();
        n.tags = p.tags.clone();
        if p.kind == NodeKind::Port
            && let Some((_, m)) = draughts.iter().find(|(code, _)| *code == p.id)
        {
            set_draught(&mut n.tags, *m);
        }
        net.add_node(n).expect("checked unique");
        summary.ports += 1;
    }
    crate::osm::add_default_commodities(&mut net);
    (net, summary)
}

/// World Port Index harbour uses that are not freight ports: they are left
/// out (counted), so they never become sea terminals. "Unknown", the use of
/// most rows, and "Cargo" are kept.
pub const NOT_FREIGHT_USES: [&str; 3] = ["Fishing", "Ferry", "Military"];

/// The tag of a port on the open sea (World Port Index harbour types
/// Coastal …, Open Roadstead, Typhoon Harbor), as against river, canal
/// and lake harbours, which a sea lane need not reach.
pub const SEA_FRONTAGE: &str = "sea-frontage";

fn has_sea_frontage(harbour_type: &str) -> bool {
    harbour_type.starts_with("Coastal")
        || harbour_type == "Open Roadstead"
        || harbour_type == "Typhoon Harbor"
}

/// `Coastal (Natural)` → `coastal-natural`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Parses the World Port Index CSV (UTF-8 with BOM): freight ports only
/// (see [`NOT_FREIGHT_USES`]), tagged with their harbour type, size,
/// facilities and [`SEA_FRONTAGE`].
pub fn wpi_from_str(text: &str, file: &str) -> crate::Result<(Network, PortsSummary)> {
    let err = import_error(file);
    let (mut rdr, headers) = csv_with_headers(text, file)?;
    let col = |name: &str| column(&headers, name, file);
    let (c_num, c_name, c_loc, c_lat, c_lon) = (
        col("World Port Index Number")?,
        col("Main Port Name")?,
        col("UN/LOCODE")?,
        col("Latitude")?,
        col("Longitude")?,
    );
    let flags: Vec<(usize, &str)> = [
        ("Communications - Rail", "rail"),
        ("Facilities - Container", "container"),
        ("Facilities - Solid Bulk", "solid-bulk"),
        ("Facilities - Liquid Bulk", "liquid-bulk"),
        ("Facilities - Ro-Ro", "ro-ro"),
    ]
    .iter()
    .filter_map(|(h, t)| headers.iter().position(|x| x.trim() == *h).map(|i| (i, *t)))
    .collect();
    let opt = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (c_size, c_type, c_use) = (opt("Harbor Size"), opt("Harbor Type"), opt("Harbor Use"));
    let c_draught = opt("Maximum Vessel Draft (m)");
    let mut summary = PortsSummary::default();
    let mut ports = Vec::new();
    for rec in records(&mut rdr, file) {
        let (line, rec) = rec?;
        summary.records += 1;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let num = |i: usize, name: &str| -> crate::Result<f64> {
            field(i).parse::<f64>().map_err(|_| {
                err(
                    format!("line {line}"),
                    format!("{name}: \"{}\" is not a number", field(i)),
                )
            })
        };
        let lat = num(c_lat, "Latitude")?;
        let lon = num(c_lon, "Longitude")?;
        check_lon_lat(lon, lat).map_err(|m| err(format!("line {line}"), m))?;
        let id = match normalize_unlocode(field(c_loc)) {
            Some(code) => code,
            None => {
                let wpi = field(c_num).trim_end_matches(".0");
                if wpi.is_empty() {
                    *summary
                        .skipped
                        .entry("no UN/LOCODE and no WPI number".into())
                        .or_default() += 1;
                    continue;
                }
                format!("WPI{wpi}")
            }
        };
        let harbour_use = c_use.map(field).unwrap_or("");
        if NOT_FREIGHT_USES.contains(&harbour_use) {
            *summary
                .skipped
                .entry(format!("Harbor Use {harbour_use} (not a freight port)"))
                .or_default() += 1;
            continue;
        }
        let mut tags = Vec::new();
        if let Some(t) = c_type.map(field).filter(|t| !t.is_empty()) {
            tags.push(format!("harbour-type={}", slug(t)));
            if has_sea_frontage(t) {
                tags.push(SEA_FRONTAGE.to_string());
            }
        }
        for &(i, t) in &flags {
            if field(i) == "Yes" {
                tags.push(t.to_string());
            }
        }
        if let Some(i) = c_size {
            let s = field(i);
            if !s.is_empty() {
                tags.push(format!("size={}", slug(s)));
            }
        }
        // 0.0 means unknown in the index.
        if let Some(i) = c_draught.filter(|&i| !field(i).is_empty()) {
            let m = num(i, "Maximum Vessel Draft (m)")?;
            if m > 0.0 {
                set_draught(&mut tags, m);
            }
        }
        ports.push(Port {
            id,
            kind: NodeKind::Port,
            name: field(c_name).to_string(),
            lon,
            lat,
            tags,
        });
    }
    Ok(finish(ports, summary))
}

/// Parses searoute's `ports.geojson` (`port` = UN/LOCODE, `name`, `t`).
pub fn searoute_ports_from_str(text: &str, file: &str) -> crate::Result<(Network, PortsSummary)> {
    let err = import_error(file);
    let features = geojson_features(text, file)?;
    let mut summary = PortsSummary::default();
    let mut ports = Vec::new();
    for (i, f) in features.iter().enumerate() {
        summary.records += 1;
        let at = format!("feature {}", i + 1);
        let props = f.get("properties");
        let p = |k: &str| props.and_then(|p| p.get(k));
        let Some(id) = p("port")
            .and_then(|x| x.as_str())
            .and_then(normalize_unlocode)
        else {
            *summary
                .skipped
                .entry("no valid UN/LOCODE in \"port\"".into())
                .or_default() += 1;
            continue;
        };
        let c = f
            .get("geometry")
            .and_then(|g| g.get("coordinates"))
            .and_then(|c| c.as_array())
            .ok_or_else(|| err(at.clone(), "geometry: not a Point".into()))?;
        let (lon, lat) = match c.as_slice() {
            [x, y, ..] => (
                x.as_f64()
                    .ok_or_else(|| err(at.clone(), "geometry: lon".into()))?,
                y.as_f64()
                    .ok_or_else(|| err(at.clone(), "geometry: lat".into()))?,
            ),
            _ => return Err(err(at, "geometry: not a position".into())),
        };
        let lon = crate::sea::normalize_lon(lon);
        check_lon_lat(lon, lat).map_err(|m| err(at.clone(), format!("geometry: {m}")))?;
        let mut tags = Vec::new();
        if p("t").and_then(|t| t.as_f64()) == Some(1.0) {
            tags.push("main-terminal".to_string());
        }
        ports.push(Port {
            kind: NodeKind::Port,
            name: p("name")
                .and_then(|x| x.as_str())
                .unwrap_or(&id)
                .to_string(),
            id,
            lon,
            lat,
            tags,
        });
    }
    Ok(finish(ports, summary))
}

/// Parses the UN/LOCODE list (geoapify layout: `country,location,name,
/// nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded`).
/// Keeps locations whose function string marks a sea port (position 1,
/// kind `port`), a rail terminal or multimodal depot (positions 2 and 6,
/// kind `terminal`) or a border crossing (position 8 `B`, kind `border`,
/// the 2024 meaning); rows without coordinates are counted as skipped.
pub fn unlocode_from_str(text: &str, file: &str) -> crate::Result<(Network, PortsSummary)> {
    let err = import_error(file);
    let (mut rdr, headers) = csv_with_headers(text, file)?;
    let col = |name: &str| column(&headers, name, file);
    let (c_cty, c_loc, c_name, c_fun, c_lat, c_lon) = (
        col("country")?,
        col("location")?,
        col("nameWoDiacritics")?,
        col("function")?,
        col("lat")?,
        col("lon")?,
    );
    let mut summary = PortsSummary::default();
    let mut ports = Vec::new();
    for rec in records(&mut rdr, file) {
        let (line, rec) = rec?;
        summary.records += 1;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let f: Vec<char> = field(c_fun).chars().collect();
        let has = |i: usize, c: char| f.get(i) == Some(&c);
        let (kind, tag) = if has(0, '1') {
            (NodeKind::Port, "port")
        } else if has(1, '2') || has(5, '6') {
            (NodeKind::Terminal, "rail-terminal")
        } else if has(7, 'B') {
            (NodeKind::Border, "border-crossing")
        } else {
            continue;
        };
        let Some(id) = normalize_unlocode(&format!("{}{}", field(c_cty), field(c_loc))) else {
            *summary
                .skipped
                .entry("malformed UN/LOCODE".into())
                .or_default() += 1;
            continue;
        };
        if field(c_lat).is_empty() || field(c_lon).is_empty() {
            *summary.skipped.entry("no coordinates".into()).or_default() += 1;
            continue;
        }
        let num = |i: usize, name: &str| -> crate::Result<f64> {
            field(i).parse::<f64>().map_err(|_| {
                err(
                    format!("line {line}"),
                    format!("{name}: \"{}\" is not a number", field(i)),
                )
            })
        };
        let (lon, lat) = (num(c_lon, "lon")?, num(c_lat, "lat")?);
        check_lon_lat(lon, lat).map_err(|m| err(format!("line {line}"), m))?;
        let mut tags = vec![tag.to_string(), format!("unlocode={id}")];
        if has(1, '2') && kind != NodeKind::Terminal {
            tags.push("rail-terminal".into());
        }
        if has(7, 'B') && kind != NodeKind::Border {
            tags.push("border-crossing".into());
        }
        ports.push(Port {
            id,
            kind,
            name: field(c_name).to_string(),
            lon,
            lat,
            tags,
        });
    }
    Ok(finish(ports, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlocodes_normalise() {
        assert_eq!(normalize_unlocode("DE HAM").as_deref(), Some("DEHAM"));
        assert_eq!(normalize_unlocode("nlrtm").as_deref(), Some("NLRTM"));
        assert_eq!(normalize_unlocode(" "), None);
        assert_eq!(normalize_unlocode("DE-HAM"), None);
    }

    #[test]
    fn wpi_rows_become_ports_and_bad_numbers_are_located() {
        let csv = "\u{feff}World Port Index Number,Main Port Name,UN/LOCODE,Latitude,Longitude,Communications - Rail\n\
                   1.0,Rotterdam,NL RTM,51.9,4.1,Yes\n2.0,Nowhere, ,1.0,2.0,No\n";
        let (net, s) = wpi_from_str(csv, "w.csv").unwrap();
        assert_eq!(s.ports, 2);
        let r = net.node(net.node_id("NLRTM").unwrap());
        assert_eq!(r.country, "NL");
        assert!(r.tags.contains(&"rail".to_string()));
        assert!(net.node_id("WPI2").is_some());
        let typed = "World Port Index Number,Main Port Name,UN/LOCODE,Latitude,Longitude,Harbor Type,Harbor Use,Harbor Size\n\
                     1.0,Gdansk,PL GDN,54.4,18.7,Coastal (Breakwater),Unknown,Large\n\
                     2.0,Duisburg,DE DUI,51.4,6.7,River (Basins),Cargo,Medium\n\
                     3.0,Navy,,1.0,2.0,Coastal (Natural),Military,Small\n";
        let (net, s) = wpi_from_str(typed, "w.csv").unwrap();
        let tags = |id: &str| net.node(net.node_id(id).unwrap()).tags.clone();
        assert!(tags("PLGDN").contains(&"harbour-type=coastal-breakwater".to_string()));
        assert!(tags("PLGDN").contains(&SEA_FRONTAGE.to_string()));
        assert!(tags("PLGDN").contains(&"size=large".to_string()));
        assert!(!tags("DEDUI").contains(&SEA_FRONTAGE.to_string()));
        assert_eq!(s.ports, 2);
        assert_eq!(
            s.skipped.get("Harbor Use Military (not a freight port)"),
            Some(&1)
        );
        let bad = "World Port Index Number,Main Port Name,UN/LOCODE,Latitude,Longitude\n1.0,X,NLRTM,north,4\n";
        let e = wpi_from_str(bad, "w.csv").unwrap_err().to_string();
        assert!(e.contains("w.csv: line 2: Latitude"), "{e}");
    }

    /// The index's own figure where it has one (Gdańsk 15.0 m), the cited
    /// table over it (Odesa, Izmail: the index says 0.0, unknown), nothing
    /// where neither knows; a bad number is located.
    #[test]
    fn ports_take_their_draught_from_the_table_then_the_index() {
        let csv = "World Port Index Number,Main Port Name,UN/LOCODE,Latitude,Longitude,Maximum Vessel Draft (m)\n\
                   1.0,Gdansk,PL GDN,54.4,18.7,15.0\n\
                   2.0,Odesa,UA ODS,46.5,30.7,0.0\n\
                   3.0,Izmayil,UA IZM,45.3,28.8,0.0\n\
                   4.0,Rotterdam,NL RTM,51.9,4.1,0.0\n";
        let (net, _) = wpi_from_str(csv, "w.csv").unwrap();
        let draught = |id: &str| corridor_model::port_draught_m(net.node(net.node_id(id).unwrap()));
        assert_eq!(draught("PLGDN"), Some(15.0));
        assert_eq!(draught("UAODS"), Some(12.5));
        assert_eq!(draught("UAIZM"), Some(7.0));
        assert_eq!(draught("NLRTM"), None);
        let bad = csv.replace("15.0", "deep");
        let e = wpi_from_str(&bad, "w.csv").unwrap_err().to_string();
        assert!(e.contains("line 2: Maximum Vessel Draft (m)"), "{e}");
        // searoute's ports know no depths: the table alone.
        let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"port":"UAODS","name":"Odessa"},"geometry":{"type":"Point","coordinates":[30.73,46.5]}}]}"#;
        let (net, _) = searoute_ports_from_str(geo, "p.geojson").unwrap();
        assert_eq!(
            corridor_model::port_draught_m(net.node(net.node_id("UAODS").unwrap())),
            Some(12.5)
        );
        for (code, m) in shipped_port_draughts() {
            assert!(
                normalize_unlocode(&code).as_deref() == Some(code.as_str()),
                "{code}"
            );
            assert!(m > 2.0 && m < 30.0, "{code} {m}");
        }
    }

    #[test]
    fn unlocode_rows_become_ports_rail_terminals_and_borders() {
        let csv = "country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded\n\
                   NL,RTM,Rotterdam,Rotterdam,ZH,AF,12345---,,51.9,4.5,\n\
                   PL,MAA,Malaszewicze,Malaszewicze,20,RL,-23-----,,52.03,23.51,\n\
                   BG,GJE,Gyueshevo,Gyueshevo,,RL,-23----B,,42.2,22.5,\n\
                   AD,ALV,Andorra la Vella,Andorra la Vella,,AI,--34-6--,,,,\n\
                   AD,CAN,Canillo,Canillo,,RL,--3-----,,42.5,1.6,\n";
        let (net, s) = unlocode_from_str(csv, "u.csv").unwrap();
        assert_eq!(net.node(net.node_id("NLRTM").unwrap()).kind, NodeKind::Port);
        let maa = net.node(net.node_id("PLMAA").unwrap());
        assert_eq!(maa.kind, NodeKind::Terminal);
        assert!(
            net.node(net.node_id("BGGJE").unwrap())
                .tags
                .contains(&"border-crossing".to_string())
        );
        assert!(
            net.node_id("ADCAN").is_none(),
            "road-only locations are left out"
        );
        assert_eq!(s.skipped.get("no coordinates"), Some(&1));
    }

    /// Found with the fuzz harnesses' import invariant (positions are
    /// WGS84 degrees): NaN and out-of-range coordinates used to become
    /// port nodes.
    #[test]
    fn coordinates_out_of_range_or_nan_are_located_errors() {
        let wpi = "World Port Index Number,Main Port Name,UN/LOCODE,Latitude,Longitude\n1.0,X,NLRTM,LAT,LON\n";
        for (lat, lon) in [("NaN", "4"), ("95", "4"), ("51", "inf"), ("51", "-181")] {
            let text = wpi.replace("LAT", lat).replace("LON", lon);
            let e = wpi_from_str(&text, "w.csv").unwrap_err().to_string();
            assert!(
                e.starts_with("w.csv: line 2: ") && e.contains("out of range"),
                "{e}"
            );
        }
        let unl = "country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded\n\
                   NL,RTM,Rotterdam,Rotterdam,ZH,AF,12345---,,nan,4.5,\n";
        let e = unlocode_from_str(unl, "u.csv").unwrap_err().to_string();
        assert!(e.starts_with("u.csv: line 2: latitude NaN"), "{e}");
        let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"port":"NLRTM"},"geometry":{"type":"Point","coordinates":[4.5,-91]}}]}"#;
        let e = searoute_ports_from_str(geo, "p.geojson")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("p.geojson: feature 1: geometry: latitude -91"),
            "{e}"
        );
        // Longitudes past the seam are brought back, as searoute writes them.
        let seam = geo.replace("[4.5,-91]", "[190,10]");
        let (net, _) = searoute_ports_from_str(&seam, "p.geojson").unwrap();
        assert_eq!(net.nodes[0].lon, -170.0);
    }
}
