//! Commodities' capacity factors (capacity-equivalent tonnes per tonne, per
//! mode) read from TOML and CSV alike, survive a round trip through both
//! writers, and a bad value is reported with file, line and field.

use corridor_io::{read_network, write_csv_bundle, write_toml};
use corridor_model::Mode;

const NET: &str = r#"
[network]
name = "f"

[[commodities]]
name = "grain"
class = "bulk"

[[commodities]]
name = "boxes"
class = "container"
capacity_factor = 1.5

[[commodities]]
name = "mixed"
class = "general"
capacity_factor = { rail = 2.0, road = 1.25 }

[[nodes]]
id = "a"
lon = 30.0
lat = 50.0
country = "UA"

[[nodes]]
id = "b"
lon = 31.0
lat = 50.0
country = "UA"

[[links]]
id = "r"
from = "a"
to = "b"
mode = "road"
"#;

#[test]
fn factors_parse_default_to_one_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.toml");
    std::fs::write(&p, NET).unwrap();
    let loaded = read_network(&p).unwrap();
    assert_eq!(loaded.errors().count(), 0);
    let net = loaded.network;
    let f = |c: &str, m: Mode| {
        *net.commodities[net.commodity_id(c).unwrap().index()]
            .capacity_factor
            .get(m)
    };
    assert_eq!(f("grain", Mode::Rail), 1.0);
    assert_eq!(f("boxes", Mode::Sea), 1.5);
    assert_eq!(f("mixed", Mode::Rail), 2.0);
    assert_eq!(f("mixed", Mode::Road), 1.25);
    assert_eq!(f("mixed", Mode::River), 1.0);
    let csv = dir.path().join("bundle");
    write_csv_bundle(&net, &csv).unwrap();
    let header = std::fs::read_to_string(csv.join("commodities.csv")).unwrap();
    assert!(
        header.starts_with("name,class,value_of_time,capacity_factor_road,capacity_factor_rail")
    );
    let back = read_network(&csv).unwrap().network;
    let toml = dir.path().join("again.toml");
    write_toml(&back, &toml).unwrap();
    let again = read_network(&toml).unwrap().network;
    for (a, b) in net.commodities.iter().zip(&again.commodities) {
        assert_eq!(a.capacity_factor, b.capacity_factor, "{}", a.source_id);
    }
}

#[test]
fn a_bad_factor_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,name,kind,lon,lat,country\na,a,city,30,50,UA\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("links.csv"), "id,from,to,mode\n").unwrap();
    std::fs::write(
        dir.path().join("commodities.csv"),
        "name,class,value_of_time,capacity_factor_rail\ngrain,bulk,0.05,1\nboxes,container,1,-2\nbags,general,1,0\n",
    )
    .unwrap();
    let loaded = read_network(dir.path()).unwrap();
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("commodities.csv:3") && e.contains("capacity_factor_rail")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("commodities.csv:4") && e.contains("must be positive")),
        "{errors:?}"
    );
}
