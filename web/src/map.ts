// The map: region polygons from the catalogue on a blank style (no tiles,
// no glyphs: it works offline), filled by each region's highest active
// warning level. It shows one level of the region hierarchy at a time: the
// children of the region drilled into, over the whole territory in grey.
import maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import type { Feature, FeatureCollection, Position } from "geojson";
import type { Region } from "./api";
import { LEVEL_FILL } from "./levels";

type Bounds = [number, number, number, number];

function boundsOf(regions: Region[]): Bounds | null {
  let b: Bounds | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      const [x, y] = c as Position;
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) {
      c.forEach(visit);
    }
  };
  for (const r of regions) {
    if (r.geometry && "coordinates" in r.geometry) {
      visit(r.geometry.coordinates);
    }
  }
  return b;
}

export class RegionMap {
  private readonly map: maplibregl.Map;
  private loaded = false;
  private levels = new Map<string, number>();
  private shown: string[] = [];

  constructor(
    container: HTMLElement,
    private readonly regions: Region[],
    onSelect: (code: string) => void,
  ) {
    const bounds = boundsOf(regions) ?? [-1, -1, 1, 1];
    this.map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "background", type: "background", paint: { "background-color": "#0b1520" } }],
      },
      bounds,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.on("load", () => {
      this.map.addSource("regions", { type: "geojson", data: this.collection() });
      this.map.addLayer({
        id: "territory",
        type: "fill",
        source: "regions",
        filter: ["!", ["has", "parent"]],
        paint: { "fill-color": "#1a2837" },
      });
      this.map.addLayer({
        id: "regions-fill",
        type: "fill",
        source: "regions",
        paint: {
          "fill-color": ["match", ["get", "level"], 1, LEVEL_FILL[1], 2, LEVEL_FILL[2], 3, LEVEL_FILL[3], 4, LEVEL_FILL[4], LEVEL_FILL[0]],
          "fill-opacity": 0.85,
        },
      });
      this.map.addLayer({
        id: "regions-line",
        type: "line",
        source: "regions",
        paint: { "line-color": "#dce6ef", "line-width": 1.2 },
      });
      this.loaded = true;
      this.apply();
    });
    this.map.on("click", "regions-fill", (e) => {
      const code = e.features?.[0]?.properties?.code;
      if (typeof code === "string") {
        onSelect(code);
      }
    });
    this.map.on("mouseenter", "regions-fill", () => (this.map.getCanvas().style.cursor = "pointer"));
    this.map.on("mouseleave", "regions-fill", () => (this.map.getCanvas().style.cursor = ""));
    // What is drawn, for people using assistive technology and for tests.
    this.map.on("idle", () => {
      const drawn = this.loaded ? this.map.queryRenderedFeatures({ layers: ["regions-fill"] }) : [];
      container.dataset.features = String(this.collection().features.length);
      container.dataset.drawn = String(new Set(drawn.map((f) => f.properties?.code)).size);
    });
  }

  private collection(): FeatureCollection {
    const features: Feature[] = [];
    for (const r of this.regions) {
      if (r.geometry) {
        const properties: Record<string, unknown> = { code: r.code, level: this.levels.get(r.code) ?? 0 };
        if (r.parent && this.regions.some((p) => p.code === r.parent)) {
          properties.parent = r.parent;
        }
        features.push({ type: "Feature", geometry: r.geometry, properties });
      }
    }
    return { type: "FeatureCollection", features };
  }

  setLevels(levels: Map<string, number>): void {
    this.levels = levels;
    if (this.loaded) {
      (this.map.getSource("regions") as maplibregl.GeoJSONSource).setData(this.collection());
    }
  }

  // Shows `codes` (a level of the hierarchy) and zooms to `focus`.
  show(codes: string[], focus: Region[]): void {
    this.shown = codes;
    this.apply();
    const bounds = boundsOf(focus);
    if (bounds) {
      this.map.fitBounds(bounds, { padding: 24, duration: 400 });
    }
  }

  private apply(): void {
    if (!this.loaded) {
      return;
    }
    const filter: maplibregl.FilterSpecification = ["in", ["get", "code"], ["literal", this.shown]];
    this.map.setFilter("regions-fill", filter);
    this.map.setFilter("regions-line", filter);
  }

  remove(): void {
    this.map.remove();
  }
}
