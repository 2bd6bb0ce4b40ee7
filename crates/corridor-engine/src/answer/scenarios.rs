//! Scenarios as a query names them: picked by name from the ones a face has
//! loaded (files on the command line, a server's scenario folder), applied
//! in order to a copy of the base, and the edited network validated like a
//! loaded one (the model does both and locates every error at its edit).

use crate::{Error, Result};
use corridor_model::scenario::apply_all;
use corridor_model::{Network, Scenario};
use std::borrow::Cow;

/// The scenarios `names` asks for, in that order. A name given twice takes
/// the next scenario of that name if there is one (two files may share a
/// name), else the same one again.
pub fn pick_scenarios(catalogue: &[Scenario], names: &[String]) -> Result<Vec<Scenario>> {
    let mut used = vec![false; catalogue.len()];
    names
        .iter()
        .map(|name| {
            let matching = || {
                catalogue
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| &s.name == name)
            };
            let (i, s) = matching()
                .find(|(i, _)| !used[*i])
                .or_else(|| matching().next())
                .ok_or_else(|| {
                    let known: Vec<&str> = catalogue.iter().map(|s| s.name.as_str()).collect();
                    Error::InvalidQuery {
                        field: "scenarios".into(),
                        message: format!(
                            "unknown scenario \"{name}\" (known: {})",
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    }
                })?;
            used[i] = true;
            Ok(s.clone())
        })
        .collect()
}

/// Applies `scenarios` to a copy of `base` in order and validates the
/// result like a loaded network (`corridor_model::scenario::apply_all`): an
/// edit whose value is out of range is refused at that edit, and an edited
/// network with errors (e.g. a terminal left claiming a layer whose links
/// were removed) is refused with every error listed, each at the scenario
/// file, edit number and line that caused it.
pub fn apply_scenarios(base: &Network, scenarios: &[Scenario]) -> Result<Network> {
    apply_all(base, scenarios).map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// `base` itself when `names` is empty (no copy), else the base with the
/// named scenarios of `catalogue` applied.
pub fn with_scenarios<'a>(
    base: &'a Network,
    catalogue: &[Scenario],
    names: &[String],
) -> Result<Cow<'a, Network>> {
    if names.is_empty() {
        return Ok(Cow::Borrowed(base));
    }
    let picked = pick_scenarios(catalogue, names)?;
    Ok(Cow::Owned(apply_scenarios(base, &picked)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_fixtures::networks::gauge_break;
    use corridor_model::scenario::{Edit, EditAt, ElementKind, Selection};

    fn closing(name: &str, id: &str) -> Scenario {
        Scenario {
            name: name.into(),
            description: String::new(),
            edits: vec![EditAt {
                edit: Edit::Close(Selection {
                    ids: vec![(Some(ElementKind::Link), id.into())],
                    ..Selection::default()
                }),
                source: None,
            }],
        }
    }

    #[test]
    fn names_pick_in_order_and_a_repeated_name_takes_the_next_file() {
        let cat = [closing("a", "r1"), closing("b", "r2"), closing("a", "d1")];
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let picked = pick_scenarios(&cat, &names(&["b", "a", "a"])).unwrap();
        assert_eq!(picked, vec![cat[1].clone(), cat[0].clone(), cat[2].clone()]);
        let picked = pick_scenarios(&cat, &names(&["b", "b"])).unwrap();
        assert_eq!(picked, vec![cat[1].clone(), cat[1].clone()]);
        let e = pick_scenarios(&cat, &names(&["c"]))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "unknown scenario \"c\" (known: a, b, a)");
    }

    #[test]
    fn no_names_borrow_the_base_and_names_edit_a_copy() {
        let base = gauge_break();
        let cat = [closing("no-rail", "r1")];
        assert!(matches!(
            with_scenarios(&base, &cat, &[]).unwrap(),
            Cow::Borrowed(_)
        ));
        let edited = with_scenarios(&base, &cat, &["no-rail".to_string()]).unwrap();
        let r1 = base.link_id("r1").unwrap();
        assert!(!edited.link(r1).open);
        assert!(base.link(r1).open);
    }

    #[test]
    fn edits_out_of_range_and_the_errors_they_leave_name_their_edit() {
        use corridor_model::SourceRef;
        use corridor_model::scenario::Value;
        let base = gauge_break();
        let at = |line| {
            Some(SourceRef {
                file: "bad.toml".into(),
                line,
            })
        };
        let node = base.nodes[0].source_id.clone();
        let lat = Scenario {
            name: "bad".into(),
            description: String::new(),
            edits: vec![EditAt {
                edit: Edit::Set {
                    selection: Selection {
                        ids: vec![(Some(ElementKind::Node), node.to_string())],
                        ..Selection::default()
                    },
                    values: vec![("lat".into(), Value::Number(999.0))],
                },
                source: at(4),
            }],
        };
        let e = apply_scenarios(&base, &[lat]).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "bad.toml:4: scenario \"bad\": edit 1 (set node \"{node}\"): lat: 999 is outside -90..90 (are lon and lat swapped?)"
            )
        );
        // Removing every rail link leaves the gauge-change terminal
        // claiming layers no link has.
        let no_rail = Scenario {
            name: "no-rail".into(),
            description: String::new(),
            edits: vec![EditAt {
                edit: Edit::Remove(Selection {
                    kind: Some(ElementKind::Link),
                    mode: Some(corridor_model::Mode::Rail),
                    ..Selection::default()
                }),
                source: at(7),
            }],
        };
        let e = apply_scenarios(&base, &[no_rail]).unwrap_err().to_string();
        assert!(e.starts_with("the network after the scenarios has "), "{e}");
        assert!(e.lines().count() > 1, "{e}");
        for line in e.lines().skip(1) {
            assert!(
                line.starts_with(
                    "bad.toml:7: scenario \"no-rail\": edit 1 (remove { kind = \"link\", mode = \"rail\" }): terminal "
                ),
                "{line}"
            );
        }
    }
}
