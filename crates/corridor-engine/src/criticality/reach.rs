//! Whether the origins still reach the destinations once an element is
//! closed, capacities ignored: by any arc the commodity may use, whatever
//! its capacity (a link of capacity 0 still connects).
//!
//! Searching the whole graph per element would make criticality
//! quadratic, so the base's searches leave a witness: for each origin a
//! path to a destination, for each destination a path from an origin. A
//! closure can only cut an end whose witness it touches, and not one
//! that still carries flow in the closed network's maximum flow (positive
//! flow out of an origin is a path of open arcs to a destination). Only
//! when a touched end carries nothing are the searches run again, with
//! the element's arcs blocked.

use crate::arc_origin::ArcOrigin;
use crate::capacity::FlowGraph;
use corridor_model::Network;

/// An origin (its supply arc) or a destination (its absorption arc).
struct End {
    /// The supply arc (source → the origin's gate) or the absorption arc
    /// (the destination's gate → sink).
    arc: u32,
    /// The gate vertex: the supply arc's head, the absorption arc's tail.
    gate: u32,
    origin: bool,
    id: String,
    /// It had a path to the other side in the base.
    connected: bool,
}

/// The base's reachability, its witnesses and the graph's reverse
/// adjacency, shared by every closure.
pub(crate) struct Reach {
    /// Per arc: the commodity may use it (its capacity aside).
    open: Vec<bool>,
    source: u32,
    sink: u32,
    first_out: Vec<u32>,
    heads: Vec<u32>,
    /// Arcs into each vertex: `rev_arcs[rev_first[v]..rev_first[v + 1]]`.
    rev_first: Vec<u32>,
    rev_arcs: Vec<u32>,
    tails: Vec<u32>,
    /// Origins in query order, then destinations.
    ends: Vec<End>,
    /// Ends whose witness uses arc `a`:
    /// `witness_ends[witness_first[a]..witness_first[a + 1]]`.
    witness_first: Vec<u32>,
    witness_ends: Vec<u32>,
}

/// Per-thread search state, reused from element to element.
pub(crate) struct Scratch {
    seen: Vec<u32>,
    stamp: u32,
    stack: Vec<u32>,
    blocked: Vec<bool>,
    touched: Vec<u32>,
}

/// What a closure leaves connected.
pub(crate) struct AfterClosing {
    pub connected: bool,
    pub cut_off: Vec<String>,
}

impl Reach {
    /// The base's searches and witnesses on `fg`; `open` as the flow
    /// graph's capacities were made (an arc the commodity may not use has
    /// capacity 0, but so may an open arc: hence its own vector).
    pub fn new(net: &Network, fg: &FlowGraph, open: Vec<bool>) -> Self {
        let csr = fg.csr();
        let n = csr.n_vertices();
        let first_out = csr.first_out().to_vec();
        let heads: Vec<u32> = csr.heads().iter().map(|v| v.0).collect();
        let tails: Vec<u32> = csr.tails().iter().map(|v| v.0).collect();
        let mut rev_first = vec![0u32; n + 1];
        for &h in &heads {
            rev_first[h as usize + 1] += 1;
        }
        for v in 0..n {
            rev_first[v + 1] += rev_first[v];
        }
        let mut next = rev_first.clone();
        let mut rev_arcs = vec![0u32; heads.len()];
        for (a, &h) in heads.iter().enumerate() {
            rev_arcs[next[h as usize] as usize] = a as u32;
            next[h as usize] += 1;
        }
        let mut r = Self {
            open,
            source: fg.source.0,
            sink: fg.sink.0,
            first_out,
            heads,
            rev_first,
            rev_arcs,
            tails,
            ends: ends(net, fg),
            witness_first: Vec::new(),
            witness_ends: Vec::new(),
        };
        r.witnesses();
        r
    }

    pub fn scratch(&self) -> Scratch {
        Scratch {
            seen: vec![0; self.rev_first.len() - 1],
            stamp: 0,
            stack: Vec::new(),
            blocked: vec![false; self.heads.len()],
            touched: Vec::new(),
        }
    }

    /// Some origin reaches some destination in the base.
    pub fn base_connected(&self) -> bool {
        self.ends.iter().any(|e| e.connected)
    }

    /// Searches the base once each way with parent arcs, marks which
    /// ends each arc's witness paths carry.
    fn witnesses(&mut self) {
        let n = self.rev_first.len() - 1;
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for forward in [true, false] {
            let parent = self.tree(forward, n);
            let root = self.root(forward);
            // Origins take the reverse tree (a path on to the sink),
            // destinations the forward one (a path from the source).
            for i in 0..self.ends.len() {
                if self.ends[i].origin == forward {
                    continue;
                }
                let mut v = self.ends[i].gate;
                let connected = parent[v as usize] != u32::MAX || v == root;
                self.ends[i].connected = connected;
                if !connected {
                    continue;
                }
                pairs.push((self.ends[i].arc, i as u32));
                while v != root {
                    let a = parent[v as usize];
                    pairs.push((a, i as u32));
                    v = if forward {
                        self.tails[a as usize]
                    } else {
                        self.heads[a as usize]
                    };
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let m = self.heads.len();
        self.witness_first = vec![0; m + 1];
        for &(a, _) in &pairs {
            self.witness_first[a as usize + 1] += 1;
        }
        for a in 0..m {
            self.witness_first[a + 1] += self.witness_first[a];
        }
        self.witness_ends = pairs.into_iter().map(|(_, e)| e).collect();
    }

    fn root(&self, forward: bool) -> u32 {
        if forward { self.source } else { self.sink }
    }

    /// Parent arc of every vertex in a search from the source along open
    /// arcs (`forward`) or from the sink against them; `u32::MAX` for the
    /// root and for vertices not reached.
    fn tree(&self, forward: bool, n: usize) -> Vec<u32> {
        let root = self.root(forward);
        let mut parent = vec![u32::MAX; n];
        let mut seen = vec![false; n];
        seen[root as usize] = true;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            self.each_step(forward, v, |a, w| {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    parent[w as usize] = a;
                    stack.push(w);
                }
            });
        }
        parent
    }

    /// Calls `f(arc, next vertex)` for every open arc out of `v`
    /// (`forward`) or into it.
    #[inline]
    fn each_step(&self, forward: bool, v: u32, mut f: impl FnMut(u32, u32)) {
        let v = v as usize;
        if forward {
            for a in self.first_out[v]..self.first_out[v + 1] {
                if self.open[a as usize] {
                    f(a, self.heads[a as usize]);
                }
            }
        } else {
            for &a in &self.rev_arcs[self.rev_first[v] as usize..self.rev_first[v + 1] as usize] {
                if self.open[a as usize] {
                    f(a, self.tails[a as usize]);
                }
            }
        }
    }

    /// Which ends stay connected once `closed` arcs are gone, `flow`
    /// being the closed network's maximum flow per arc (the base's when
    /// the closure changes nothing).
    pub fn after_closing(&self, closed: &[u32], flow: &[f64], s: &mut Scratch) -> AfterClosing {
        if !self.base_connected() {
            return AfterClosing {
                connected: false,
                cut_off: Vec::new(),
            };
        }
        s.touched.clear();
        for &a in closed {
            let w = &self.witness_ends[self.witness_first[a as usize] as usize
                ..self.witness_first[a as usize + 1] as usize];
            s.touched.extend(
                w.iter()
                    .copied()
                    .filter(|&e| flow[self.ends[e as usize].arc as usize] <= 0.0),
            );
        }
        s.touched.sort_unstable();
        s.touched.dedup();
        let mut cut = vec![false; self.ends.len()];
        if !s.touched.is_empty() {
            for &a in closed {
                s.blocked[a as usize] = true;
            }
            for forward in [true, false] {
                let wanted = |e: &u32| self.ends[*e as usize].origin != forward;
                if !s.touched.iter().any(wanted) {
                    continue;
                }
                self.search(forward, s);
                for &e in s.touched.iter().filter(|e| wanted(e)) {
                    let gate = self.ends[e as usize].gate as usize;
                    cut[e as usize] = s.seen[gate] != s.stamp;
                }
            }
            for &a in closed {
                s.blocked[a as usize] = false;
            }
        }
        let connected = self
            .ends
            .iter()
            .zip(&cut)
            .any(|(e, &c)| !e.origin && e.connected && !c);
        let mut cut_off: Vec<String> = Vec::new();
        for (e, _) in self.ends.iter().zip(&cut).filter(|(_, c)| **c) {
            if !cut_off.contains(&e.id) {
                cut_off.push(e.id.clone());
            }
        }
        AfterClosing { connected, cut_off }
    }

    /// Marks (with a new stamp) every vertex reached from the root along
    /// open arcs that are not blocked.
    fn search(&self, forward: bool, s: &mut Scratch) {
        s.stamp += 1;
        let stamp = s.stamp;
        let root = self.root(forward);
        s.seen[root as usize] = stamp;
        s.stack.clear();
        s.stack.push(root);
        while let Some(v) = s.stack.pop() {
            let (seen, stack, blocked) = (&mut s.seen, &mut s.stack, &s.blocked);
            self.each_step(forward, v, |a, w| {
                if !blocked[a as usize] && seen[w as usize] != stamp {
                    seen[w as usize] = stamp;
                    stack.push(w);
                }
            });
        }
    }
}

/// The supply arcs (origins, in query order) and absorption arcs
/// (destinations), as the lowering made them.
fn ends(net: &Network, fg: &FlowGraph) -> Vec<End> {
    let csr = fg.csr();
    let heads = csr.heads();
    let tails = csr.tails();
    let mut out = Vec::new();
    for origin in [true, false] {
        for (a, &o) in fg.lowered.arc_origin.iter().enumerate() {
            let node = match (origin, o) {
                (true, ArcOrigin::Supply { node }) => node,
                (false, ArcOrigin::Absorb { node }) => node,
                _ => continue,
            };
            out.push(End {
                arc: a as u32,
                gate: if origin { heads[a].0 } else { tails[a].0 },
                origin,
                id: net.node(node).source_id.to_string(),
                connected: false,
            });
        }
    }
    out
}
