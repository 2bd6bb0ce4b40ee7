// Ready-made questions for the shipped examples, so a newcomer sees an
// answer with one key press. The grain demand is examples/grain-corridors/
// demand.csv verbatim (t/day); keep the two in step.

export const GRAIN_DEMAND = `origin,destination,commodity,t_per_day
vinnytsia,gdansk,grain,12000
ternopil,gdansk,grain,3000
poltava,constanta,grain,6000
kropyvnytskyi,constanta,grain,4000
khmelnytskyi,rotterdam,grain,2000
kyiv,gdansk,containers,1500
lviv,constanta,containers,800
kyiv,gdansk,fuel,500
`;

export const PRESETS = {
  triangle: {
    route: { from: "kyiv", to: "gdansk", commodity: "grain" },
    capacity: { label: "Kyiv → Gdańsk", from: ["kyiv"], to: ["gdansk"], commodity: "grain" },
  },
  "grain-corridors": {
    route: { from: "vinnytsia", to: "gdansk", commodity: "grain" },
    capacity: {
      label: "Grain: the five elevator regions → Gdańsk, Constanța, Rotterdam",
      from: ["vinnytsia", "kropyvnytskyi", "poltava", "khmelnytskyi", "ternopil"],
      to: ["gdansk", "constanta", "rotterdam"],
      commodity: "grain",
    },
    demand: GRAIN_DEMAND,
    // README's and the golden tests' budget (million EUR, projects.toml).
    invest: { budget: 200 },
  },
};

/** Demand CSV (origin,destination,commodity,t_per_day; header optional) to API rows. */
export function parseDemand(text) {
  const rows = [];
  const errors = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim();
    if (!l || l.startsWith("#")) return;
    const cells = l.split(",").map((c) => c.trim());
    if (i === 0 && cells[0].toLowerCase() === "origin") return;
    if (cells.length < 3 || cells.length > 4) {
      errors.push(`line ${i + 1}: expected origin,destination,commodity,t_per_day`);
      return;
    }
    const amount = Number(cells[cells.length - 1]);
    if (!Number.isFinite(amount)) {
      errors.push(`line ${i + 1}: "${cells[cells.length - 1]}" is not a number of t/day`);
      return;
    }
    const row = { origin: cells[0], destination: cells[1], amount };
    if (cells.length === 4 && cells[2]) row.commodity = cells[2];
    rows.push(row);
  });
  return { rows, errors };
}
