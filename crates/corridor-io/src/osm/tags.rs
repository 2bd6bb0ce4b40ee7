//! What OSM tags mean to a Corridor network: a network way's link
//! attributes (mode, gauges, oneway, speed, truck access, waterway class
//! and limits, the tags kept on the link), which tagged features are
//! terminal sites and which networks they join, which station objects may
//! name a rail vertex and in what order, display names, and the parsing of
//! `maxspeed` and `maxweight`.
//!
//! It gives meanings only. Which ways the file reader keeps is `read.rs`;
//! where links begin and end is `build/`; the standard gauge of a country
//! is the table in `gauges.rs`. New tagging rules belong here, so the
//! phases of the build keep their shape when the tagging grows.

use super::OsmConfig;
use super::read::{RawPoint, RawWay, WayKind, tag};
use corridor_model::{Diagnostic, Mode, ModeTable, NodeKind};
use std::hash::{Hash, Hasher};

/// The separate networks a station or terminal site can be joined to. Rail
/// and road share OSM nodes at level crossings, but a port joined to the
/// road is not joined to the railway through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Family {
    Rail,
    Road,
    Water,
}

impl Family {
    /// The suffix of a connector's id (`tn123>rail`).
    pub(super) fn name(self) -> &'static str {
        match self {
            Family::Rail => "rail",
            Family::Road => "road",
            Family::Water => "water",
        }
    }
}

/// Link attributes that must match for two pieces to be contracted.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Attrs {
    pub(super) mode: Mode,
    /// Never empty on rail (a missing gauge takes the default); one link
    /// per gauge is emitted. Empty on other modes.
    pub(super) gauges: Vec<u16>,
    pub(super) oneway: bool,
    pub(super) speed_kmh: Option<f64>,
    pub(super) open: bool,
    /// Sorted; includes `osm:way=<id>`.
    pub(super) tags: Vec<String>,
}

impl Attrs {
    pub(super) fn family(&self) -> Family {
        match self.mode {
            Mode::Rail => Family::Rail,
            Mode::Road => Family::Road,
            Mode::Sea | Mode::River => Family::Water,
        }
    }

    /// A hash consistent with `==`, so equal attributes can be found among
    /// many without comparing against each (speeds are finite and
    /// positive; `0.0` and `-0.0` hash alike all the same).
    pub(super) fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.mode.hash(&mut h);
        self.gauges.hash(&mut h);
        self.oneway.hash(&mut h);
        self.speed_kmh
            .map(|s| if s == 0.0 { 0 } else { s.to_bits() })
            .hash(&mut h);
        self.open.hash(&mut h);
        self.tags.hash(&mut h);
        h.finish()
    }
}

/// The mode a kept way's links get; `None` for areas (they become sites).
pub(super) fn way_mode(kind: WayKind, cfg: &OsmConfig) -> Option<Mode> {
    match kind {
        WayKind::Rail => Some(Mode::Rail),
        WayKind::Road => Some(Mode::Road),
        WayKind::Ferry => Some(cfg.ferry_mode),
        WayKind::Waterway => Some(Mode::River),
        WayKind::Area => None,
    }
}

/// The attributes of a way and whether its node order must be reversed
/// (`oneway=-1`). Unreadable or missing gauges are warnings in `diags`.
/// `country` is where the way lies (ISO alpha-2), which says the gauge of
/// untagged track.
pub(super) fn way_attrs(
    w: &RawWay,
    mode: Mode,
    cfg: &OsmConfig,
    country: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> (Attrs, bool) {
    let mut tags = vec![format!("osm:way={}", w.id)];
    let mut open = true;
    let mut gauges = Vec::new();
    let mut oneway = false;
    let mut reverse = false;
    let maxspeed = w.tag("maxspeed").and_then(parse_speed_kmh);
    let speed_kmh;
    match mode {
        Mode::Rail => {
            gauges = rail_gauges(w, cfg, country, diags, &mut tags);
            for k in ["usage", "service", "electrified"] {
                if let Some(v) = w.tag(k) {
                    tags.push(format!("{k}={v}"));
                }
            }
            if w.tag("railway") == Some("narrow_gauge") {
                tags.push("narrow_gauge".into());
            }
            speed_kmh = maxspeed.map(|s| s.min(cfg.max_train_speed_kmh));
        }
        Mode::Road => {
            let h = w.tag("highway").unwrap_or("road");
            tags.push(format!("highway={h}"));
            let implied = h == "motorway" || w.tag("junction") == Some("roundabout");
            match w.tag("oneway") {
                Some("yes" | "true" | "1") => oneway = true,
                Some("-1" | "reverse") => {
                    oneway = true;
                    reverse = true;
                }
                Some("no" | "false" | "0") => {}
                _ => oneway = implied,
            }
            open = truck_access(w, cfg, &mut tags);
            speed_kmh = maxspeed.map(|s| s.min(cfg.max_truck_speed_kmh));
        }
        Mode::Sea | Mode::River if w.kind == WayKind::Waterway => {
            let ww = w.tag("waterway").unwrap_or("river");
            tags.push(format!("waterway={ww}"));
            if let Some(c) = w.tag("CEMT") {
                tags.push(format!("cemt={}", cemt_name(c)));
            }
            for (k, key) in [
                ("maxdraught", "maxdraught"),
                ("maxlength", "maxlength"),
                ("maxwidth", "maxwidth"),
            ] {
                if let Some(v) = w.tag(k) {
                    tags.push(format!("{key}={v}"));
                }
            }
            speed_kmh = None;
        }
        Mode::Sea | Mode::River => {
            tags.push("route=ferry".into());
            speed_kmh = None;
        }
    }
    if let Some(n) = w.tag("name") {
        tags.push(format!("name={n}"));
    }
    tags.sort();
    let attrs = Attrs {
        mode,
        gauges,
        oneway,
        speed_kmh,
        open,
        tags,
    };
    (attrs, reverse)
}

/// The gauges of a rail way (`1520;1435` is dual gauge), in tag order
/// without repeats. When none is readable: `--default-gauge` if given,
/// else the standard gauge of the way's country (`gauges.rs`), else
/// 1435 mm, tagged `gauge=default` and warned about.
fn rail_gauges(
    w: &RawWay,
    cfg: &OsmConfig,
    country: Option<&str>,
    diags: &mut Vec<Diagnostic>,
    tags: &mut Vec<String>,
) -> Vec<u16> {
    let mut gauges = Vec::new();
    if let Some(g) = w.tag("gauge") {
        for part in g.split(';') {
            match part.trim().trim_end_matches("mm").trim().parse::<u16>() {
                Ok(x) if x > 0 => {
                    if !gauges.contains(&x) {
                        gauges.push(x)
                    }
                }
                _ => diags.push(Diagnostic::warning(
                    format!("way {}", w.id),
                    Some("gauge"),
                    format!("\"{g}\": \"{part}\" is not a gauge in mm; ignored"),
                )),
            }
        }
    }
    if gauges.is_empty() {
        let g = super::gauges::untagged_gauge_mm(country, cfg.default_gauge_mm);
        let why = match (cfg.default_gauge_mm, country) {
            (Some(_), _) => "--default-gauge".to_string(),
            (None, Some(c)) if super::gauges::standard_gauge_mm(c).is_some() => {
                format!("the standard gauge of {c}")
            }
            _ => "the fallback".to_string(),
        };
        diags.push(Diagnostic::warning(
            format!("way {}", w.id),
            Some("gauge"),
            format!(
                "railway={} has no gauge; using {why}, {g} mm",
                w.tag("railway").unwrap_or("rail"),
            ),
        ));
        gauges.push(g);
        tags.push("gauge=default".into());
    }
    gauges
}

/// An OSM `CEMT` value as Corridor's class name: `VI` (no letter) is
/// read as the smallest class VI, `VIa`; case is normalised (`vb` → `Vb`).
fn cemt_name(v: &str) -> String {
    let v = v.trim();
    let roman: String = v.chars().take_while(|c| "IVXivx".contains(*c)).collect();
    let rest = &v[roman.len()..];
    let roman = roman.to_ascii_uppercase();
    match (roman.as_str(), rest.to_ascii_lowercase().as_str()) {
        ("VI", "") => "VIa".into(),
        (r, l) => format!("{r}{l}"),
    }
}

/// Whether trucks may use a road: `hgv=no|destination|delivery` or a
/// `maxweight` below the truck's weight closes it. The tags that decided
/// stay on the link so a scenario can see why and reopen it.
fn truck_access(w: &RawWay, cfg: &OsmConfig, tags: &mut Vec<String>) -> bool {
    let mut open = true;
    if let Some(v) = w.tag("hgv") {
        tags.push(format!("hgv={v}"));
        if matches!(v, "no" | "destination" | "delivery") {
            open = false;
        }
    }
    if let Some(t) = w.tag("maxweight").and_then(parse_weight_t) {
        tags.push(format!("maxweight={t}"));
        if t < cfg.truck_weight_t {
            open = false;
        }
    }
    open
}

/// A `railway=station|halt` node: it names the rail vertex it stands on.
pub(super) fn is_station(p: &RawPoint) -> bool {
    matches!(p.tag("railway"), Some("station" | "halt"))
}

/// How well a station object (node, area or relation) names a freight
/// railway's vertex; lower wins: 0 a freight station or yard, 1 a railway
/// station, 2 a `public_transport=stop_area` (a group, named after what it
/// groups). `None` for what is not a station of the railway: metro, light
/// rail, tram, monorail or funicular stations (`station=subway`, or
/// `subway=yes` without `train=yes`), whose names must not end up on the
/// main line running past them.
pub(super) fn station_rank(tags: &[(String, String)]) -> Option<u8> {
    let t = |k: &str| tag(tags, k);
    const URBAN: [&str; 6] = [
        "subway",
        "light_rail",
        "tram",
        "monorail",
        "funicular",
        "miniature",
    ];
    if t("station").is_some_and(|v| URBAN.contains(&v)) {
        return None;
    }
    let urban = URBAN.iter().any(|m| t(m) == Some("yes"));
    if urban && t("train") != Some("yes") {
        return None;
    }
    let freight = t("usage") == Some("freight")
        || t("station") == Some("freight")
        || t("railway:traffic_mode") == Some("freight")
        || t("railway") == Some("yard");
    match (t("railway"), t("public_transport")) {
        _ if freight => Some(0),
        (Some("station" | "halt"), _) => Some(1),
        (_, Some("stop_area")) => Some(2),
        _ => None,
    }
}

/// A `barrier=border_control` node: a checkpoint on the ways through it.
pub(super) fn is_checkpoint(p: &RawPoint) -> bool {
    p.tag("barrier") == Some("border_control")
}

/// The `name` tag, else the OSM id (`n123`), so every place has a name
/// `--from`/`--to` can match.
pub(super) fn display_name(p: &RawPoint) -> String {
    p.tag("name")
        .map(str::to_string)
        .unwrap_or_else(|| format!("n{}", p.id))
}

/// Whether tags describe a terminal site, what node kind it is, and which
/// families of links it should be joined to.
pub(super) fn site_kind(tags: &[(String, String)]) -> Option<(NodeKind, Vec<Family>)> {
    let t = |k: &str| tag(tags, k);
    use Family::*;
    if t("amenity") == Some("ferry_terminal") {
        return Some((NodeKind::Port, vec![Water, Road, Rail]));
    }
    if t("landuse") == Some("port")
        || t("industrial") == Some("port")
        || t("seamark:type") == Some("harbour")
        || t("harbour").is_some_and(|v| v != "no")
    {
        return Some((NodeKind::Port, vec![Water, Rail, Road]));
    }
    let freight = t("usage") == Some("freight")
        || t("station") == Some("freight")
        || t("railway:traffic_mode") == Some("freight");
    if t("railway") == Some("yard") || (t("railway") == Some("station") && freight) {
        return Some((NodeKind::Terminal, vec![Rail, Road]));
    }
    None
}

/// A harbour for pleasure craft (a marina, a yacht or sailing club), not
/// for freight, unless it is also tagged as a port: such a place is not
/// imported at all (`seamark:type=harbour` alone would make it a port).
pub(super) fn leisure_harbour(tags: &[(String, String)]) -> bool {
    let t = |k: &str| tag(tags, k);
    let freight = t("landuse") == Some("port") || t("industrial") == Some("port");
    let leisure = t("leisure") == Some("marina")
        || matches!(
            t("seamark:harbour:category"),
            Some("marina" | "marina_no_facilities" | "yacht_harbour")
        )
        || matches!(t("club"), Some("sailing" | "yachting"))
        || t("harbour:category") == Some("marina");
    leisure && !freight
}

/// A terminal for passengers only (a ferry pier, a cruise terminal), not
/// for freight: `cargo=` naming only passengers or bicycles, or, without
/// `cargo=`, `amenity=ferry_terminal` or a `ferry=yes` stop, and in either
/// case no freight tag (`landuse=port`, `industrial=port`, `port=*`). The
/// OSM wiki gives `cargo=passengers|vehicle|passengers;vehicle` on ferry
/// terminals (Key:cargo); `vehicle`, `hgv`, `container`, `*_bulk` carry
/// freight. Such a site is imported, tagged `passenger-only`, and `merge`
/// never joins it to a sea lane or river (`NOT_FREIGHT_PORT_TAGS`): the
/// Kolera-allas pier in Helsinki (`cargo=passengers`) had become the port
/// between the railway and the Baltic.
pub(super) fn passenger_only(tags: &[(String, String)]) -> bool {
    let t = |k: &str| tag(tags, k);
    let freight = t("landuse") == Some("port")
        || t("industrial") == Some("port")
        || t("port").is_some_and(|v| v != "no");
    if freight {
        return false;
    }
    match t("cargo") {
        Some(cargo) => cargo.split(';').map(str::trim).all(|c| {
            matches!(
                c,
                "passengers" | "passenger" | "pedestrians" | "bicycle" | "bicycles"
            )
        }),
        None => t("amenity") == Some("ferry_terminal") || t("ferry").is_some_and(|v| v != "no"),
    }
}

/// `maxspeed` in km/h: `100`, `100 km/h`, `60 mph`, the first of `100;80`.
/// Symbolic values (`FR:urban`, `signals`, `none`) give `None`.
pub(crate) fn parse_speed_kmh(s: &str) -> Option<f64> {
    let s = s.split(';').next()?.trim();
    let (num, factor) = if let Some(x) = s.strip_suffix("mph") {
        (x.trim(), 1.609344)
    } else {
        (
            s.trim_end_matches("km/h").trim_end_matches("kmh").trim(),
            1.0,
        )
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|v| v * factor)
}

/// `maxweight` in tonnes: `7.5`, `7.5 t`, `3500 kg`.
pub(crate) fn parse_weight_t(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, factor) = if let Some(x) = s.strip_suffix("kg") {
        (x.trim(), 0.001)
    } else {
        (s.trim_end_matches('t').trim(), 1.0)
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|v| v * factor)
}

/// Dwell defaults for a tagged checkpoint (hours).
pub(crate) fn checkpoint_dwell() -> ModeTable<f64> {
    ModeTable {
        road: 2.0,
        rail: 4.0,
        sea: 0.0,
        river: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned OSM tags from pairs.
    fn t(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter()
            .map(|&(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn way(tags: &[(&str, &str)]) -> RawWay {
        RawWay {
            id: 9,
            refs: vec![1, 2],
            tags: tags
                .iter()
                .map(|&(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            kind: WayKind::Road,
        }
    }

    #[test]
    fn speeds_and_weights_parse_with_units() {
        assert_eq!(parse_speed_kmh("100"), Some(100.0));
        assert_eq!(parse_speed_kmh("80 km/h"), Some(80.0));
        assert!((parse_speed_kmh("60 mph").unwrap() - 96.56).abs() < 0.01);
        assert_eq!(parse_speed_kmh("120;80"), Some(120.0));
        assert_eq!(parse_speed_kmh("FR:urban"), None);
        assert_eq!(parse_weight_t("7.5"), Some(7.5));
        assert_eq!(parse_weight_t("3500 kg"), Some(3.5));
        assert_eq!(parse_weight_t("12 t"), Some(12.0));
        assert_eq!(parse_weight_t("heavy"), None);
    }

    #[test]
    fn road_attributes_read_oneway_trucks_and_capped_speed() {
        let cfg = OsmConfig::default();
        let mut diags = Vec::new();
        let w = way(&[
            ("highway", "primary"),
            ("oneway", "-1"),
            ("maxweight", "7.5"),
            ("maxspeed", "110"),
        ]);
        let (a, reverse) = way_attrs(&w, Mode::Road, &cfg, None, &mut diags);
        assert!(reverse && a.oneway && !a.open);
        assert_eq!(a.speed_kmh, Some(80.0));
        assert_eq!(
            a.tags,
            ["highway=primary", "maxweight=7.5", "osm:way=9"].map(String::from)
        );
        assert_eq!(a.family(), Family::Road);
        assert!(diags.is_empty());
        // A motorway is one way without saying so.
        let (m, reverse) = way_attrs(
            &way(&[("highway", "motorway")]),
            Mode::Road,
            &cfg,
            None,
            &mut diags,
        );
        assert!(m.oneway && !reverse && m.open);
    }

    #[test]
    fn navigable_waterways_keep_class_and_limits() {
        let cfg = OsmConfig::default();
        let mut diags = Vec::new();
        let mut w = way(&[
            ("waterway", "river"),
            ("CEMT", "VI"),
            ("maxdraught", "2.5"),
            ("name", "Donau"),
        ]);
        w.kind = WayKind::Waterway;
        let (a, _) = way_attrs(&w, Mode::River, &cfg, None, &mut diags);
        assert_eq!(
            a.tags,
            [
                "cemt=VIa",
                "maxdraught=2.5",
                "name=Donau",
                "osm:way=9",
                "waterway=river"
            ]
            .map(String::from)
        );
        assert!(!a.oneway && a.gauges.is_empty());
        assert_eq!(cemt_name("vb"), "Vb");
        assert_eq!(cemt_name("IV"), "IV");
    }

    #[test]
    fn equal_attributes_have_equal_fingerprints() {
        let cfg = OsmConfig::default();
        let mut diags = Vec::new();
        let w = way(&[
            ("railway", "rail"),
            ("gauge", "1520;1435"),
            ("maxspeed", "90"),
        ]);
        let (a, _) = way_attrs(&w, Mode::Rail, &cfg, None, &mut diags);
        let (b, _) = way_attrs(&w, Mode::Rail, &cfg, None, &mut diags);
        assert_eq!(a, b);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.gauges, [1520, 1435]);
        let other = Attrs {
            oneway: true,
            ..a.clone()
        };
        assert_ne!(a.fingerprint(), other.fingerprint());
    }

    #[test]
    fn ports_yards_and_freight_stations_are_sites() {
        use Family::*;
        assert_eq!(
            site_kind(&t(&[("amenity", "ferry_terminal")])),
            Some((NodeKind::Port, vec![Water, Road, Rail]))
        );
        assert_eq!(site_kind(&t(&[("harbour", "no")])), None);
        assert_eq!(
            site_kind(&t(&[("railway", "station"), ("usage", "freight")])),
            Some((NodeKind::Terminal, vec![Rail, Road]))
        );
        assert_eq!(site_kind(&t(&[("railway", "station")])), None);
        // The Krems sailing club (node 738437385) is a harbour for leisure:
        // `seamark:type=harbour` makes it a site, the category a marina.
        let club = t(&[
            ("leisure", "marina"),
            ("seamark:type", "harbour"),
            ("seamark:harbour:category", "marina"),
        ]);
        assert!(site_kind(&club).is_some() && leisure_harbour(&club));
        assert!(!leisure_harbour(&t(&[
            ("landuse", "port"),
            ("leisure", "marina")
        ])));
        assert!(!leisure_harbour(&t(&[("harbour", "yes")])));
        for kv in [
            ("club", "sailing"),
            ("club", "yachting"),
            ("harbour:category", "marina"),
        ] {
            assert!(leisure_harbour(&t(&[("harbour", "yes"), kv])), "{kv:?}");
        }
        assert!(leisure_harbour(&t(&[(
            "seamark:harbour:category",
            "yacht_harbour"
        )])));
    }

    #[test]
    fn passenger_piers_are_passenger_only_and_freight_ports_are_not() {
        // Kolera-allas, Helsinki (node 1815986142).
        let pier = t(&[("amenity", "ferry_terminal"), ("cargo", "passengers")]);
        assert!(site_kind(&pier).is_some() && passenger_only(&pier));
        assert!(passenger_only(&t(&[("amenity", "ferry_terminal")])));
        assert!(passenger_only(&t(&[("harbour", "yes"), ("ferry", "yes")])));
        assert!(passenger_only(&t(&[
            ("amenity", "ferry_terminal"),
            ("cargo", "passengers; bicycle")
        ])));
        for freight in [
            t(&[
                ("amenity", "ferry_terminal"),
                ("cargo", "passengers;vehicle"),
            ]),
            t(&[("amenity", "ferry_terminal"), ("cargo", "hgv")]),
            t(&[("amenity", "ferry_terminal"), ("landuse", "port")]),
            t(&[("amenity", "ferry_terminal"), ("industrial", "port")]),
            t(&[("amenity", "ferry_terminal"), ("port", "roro")]),
            t(&[("cargo", "passengers"), ("landuse", "port")]),
            t(&[("landuse", "port")]),
            t(&[("harbour", "yes")]),
            t(&[("harbour", "yes"), ("ferry", "no")]),
        ] {
            assert!(!passenger_only(&freight), "{freight:?}");
        }
    }

    #[test]
    fn freight_stations_outrank_passenger_ones_and_metros_name_nothing() {
        assert_eq!(
            station_rank(&t(&[("railway", "station"), ("usage", "freight")])),
            Some(0)
        );
        assert_eq!(station_rank(&t(&[("railway", "yard")])), Some(0));
        assert_eq!(station_rank(&t(&[("railway", "halt")])), Some(1));
        assert_eq!(
            station_rank(&t(&[("public_transport", "stop_area")])),
            Some(2)
        );
        // Helsinki's Rautatientori metro station, beside the main station.
        assert_eq!(
            station_rank(&t(&[("railway", "station"), ("station", "subway")])),
            None
        );
        assert_eq!(
            station_rank(&t(&[("railway", "station"), ("monorail", "yes")])),
            None
        );
        assert_eq!(
            station_rank(&t(&[
                ("railway", "station"),
                ("tram", "yes"),
                ("train", "yes")
            ])),
            Some(1)
        );
        assert_eq!(station_rank(&t(&[("railway", "tram_stop")])), None);
    }
}
