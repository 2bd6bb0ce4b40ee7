//! A commodity's vessel classes (`vessels`) read from TOML and CSV alike,
//! survive both writers, and an unknown class is reported with file, line
//! and field.

use corridor_io::{read_network, write_csv_bundle, write_toml};

const NET: &str = r#"
[network]
name = "v"

[[commodities]]
name = "ore"
class = "bulk"
vessels = ["capesize", "Panamax"]

[[commodities]]
name = "grain"
class = "bulk"

[[nodes]]
id = "a"
lon = 30.0
lat = 50.0

[[nodes]]
id = "b"
lon = 31.0
lat = 50.0

[[links]]
id = "s"
from = "a"
to = "b"
mode = "sea"
"#;

#[test]
fn vessels_parse_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.toml");
    std::fs::write(&p, NET).unwrap();
    let loaded = read_network(&p).unwrap();
    assert_eq!(loaded.errors().count(), 0);
    let net = loaded.network;
    let vessels = |n: &corridor_model::Network, c: &str| {
        n.commodities[n.commodity_id(c).unwrap().index()]
            .vessels
            .clone()
    };
    assert_eq!(vessels(&net, "ore"), ["capesize", "Panamax"]);
    assert!(vessels(&net, "grain").is_empty());
    let csv = dir.path().join("bundle");
    write_csv_bundle(&net, &csv).unwrap();
    let text = std::fs::read_to_string(csv.join("commodities.csv")).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",vessels"), "{text}");
    assert!(text.contains("capesize;Panamax"), "{text}");
    let back = read_network(&csv).unwrap().network;
    assert_eq!(vessels(&back, "ore"), ["capesize", "Panamax"]);
    let toml = dir.path().join("again.toml");
    write_toml(&back, &toml).unwrap();
    let again = read_network(&toml).unwrap().network;
    assert_eq!(vessels(&again, "ore"), ["capesize", "Panamax"]);
    assert!(vessels(&again, "grain").is_empty());
    let bytes = corridor_io::compiled::to_bytes(&again, &[]);
    let compiled = corridor_io::compiled::from_bytes(&bytes, &dir.path().join("v.corridor"))
        .unwrap()
        .network;
    assert_eq!(vessels(&compiled, "ore"), ["capesize", "Panamax"]);
    assert!(vessels(&compiled, "grain").is_empty());
}

#[test]
fn an_unknown_class_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,name,kind,lon,lat,country\na,a,city,30,50,UA\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("links.csv"), "id,from,to,mode\n").unwrap();
    std::fs::write(
        dir.path().join("commodities.csv"),
        "name,class,value_of_time,vessels\ngrain,bulk,0.05,handysize\nore,bulk,0.05,handysize;yacht\n",
    )
    .unwrap();
    let loaded = read_network(dir.path()).unwrap();
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert!(
        errors.iter().any(|e| e.contains("commodities.csv:3")
            && e.contains("vessels")
            && e.contains("yacht")),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}
