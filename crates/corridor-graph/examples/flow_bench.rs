//! Benchmark driver for `bench/flows.py`: reads a flow instance written by
//! the script (`n m s t` then one `tail head capacity cost` line per arc),
//! builds the CSR once, then times `max_flow` and `min_cost_max_flow`
//! (push–relabel, then cost-scaling push–relabel; wall and, for min-cost,
//! CPU seconds)
//! (residual construction included, CSR construction and file reading not,
//! as the peers' arc insertion is not timed either) and prints one JSON line.
//!
//! `cargo run --release -p corridor-graph --example flow_bench -- FILE [REPEATS] [maxflow|mincost|both]`

use corridor_graph::max_flow::max_flow;
use corridor_graph::min_cost_flow::min_cost_max_flow;
use corridor_graph::{Csr, VertexIdx};
use std::time::Instant;

/// CPU seconds this process has used (user + system, from
/// `/proc/self/stat`, 100 ticks a second; 0 where unavailable): on a
/// shared machine it moves less with the load than wall time does.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are
    // fields 14 and 15 of the whole line.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: flow_bench FILE [REPEATS] [maxflow|mincost|both]");
    let repeats: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let what = args.get(3).map(String::as_str).unwrap_or("both");
    let text = std::fs::read_to_string(path).expect("readable instance");
    let mut it = text.split_ascii_whitespace();
    let mut next = || it.next().expect("truncated instance");
    let n: usize = next().parse().unwrap();
    let m: usize = next().parse().unwrap();
    let s = VertexIdx(next().parse().unwrap());
    let t = VertexIdx(next().parse().unwrap());
    let mut arcs = Vec::with_capacity(m);
    let mut cap_in = Vec::with_capacity(m);
    let mut cost_in = Vec::with_capacity(m);
    for _ in 0..m {
        let u = VertexIdx(next().parse().unwrap());
        let v = VertexIdx(next().parse().unwrap());
        arcs.push((u, v));
        cap_in.push(next().parse::<f64>().unwrap());
        cost_in.push(next().parse::<f64>().unwrap());
    }
    let (g, order) = Csr::from_arcs(n, &arcs);
    let cap: Vec<f64> = order.iter().map(|&i| cap_in[i as usize]).collect();
    let cost: Vec<f64> = order.iter().map(|&i| cost_in[i as usize]).collect();
    let mut out = format!("{{\"n\": {n}, \"m\": {m}");
    if what != "mincost" {
        let mut times = Vec::new();
        let mut value = 0.0;
        for _ in 0..repeats {
            let t0 = Instant::now();
            value = max_flow(&g, &cap, s, t).unwrap().value;
            times.push(t0.elapsed().as_secs_f64());
        }
        out += &format!(", \"max_flow\": {value}, \"max_flow_s\": {}", median(times));
    }
    if what != "maxflow" {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let (mut value, mut total) = (0.0, 0.0);
        for _ in 0..repeats {
            let (t0, c0) = (Instant::now(), cpu_seconds());
            let r = min_cost_max_flow(&g, &cap, &cost, s, t).unwrap();
            times.push(t0.elapsed().as_secs_f64());
            cpu.push(cpu_seconds() - c0);
            value = r.max_flow.value;
            total = r.cost;
        }
        out += &format!(
            ", \"mcmf_flow\": {value}, \"mcmf_cost\": {total}, \"min_cost_s\": {}, \"min_cost_cpu_s\": {}",
            median(times),
            median(cpu)
        );
    }
    println!("{out}}}");
}
