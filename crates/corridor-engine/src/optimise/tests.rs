//! Tests of the system optimum.

use super::lp::Lp;

#[test]
fn tiny_lp_and_its_dual() {
    // min x0 + 2 x1 s.t. x0 + x1 = 1, x0 <= 0.5
    let lp = Lp {
        cost: vec![1.0, 2.0],
        col_upper: vec![f64::INFINITY, 5.0],
        row_lower: vec![1.0, f64::NEG_INFINITY],
        row_upper: vec![1.0, 0.5],
        col_start: vec![0, 2, 3],
        row_index: vec![0, 1, 0],
        value: vec![1.0, 1.0, 1.0],
    };
    let s = super::microlp::solve(&lp).unwrap();
    assert!((s.objective - 1.5).abs() < 1e-9, "{s:?}");
    assert!((s.row_dual[0] - 2.0).abs() < 1e-9, "{s:?}");
    assert!((s.row_dual[1] + 1.0).abs() < 1e-9, "{s:?}");
}
