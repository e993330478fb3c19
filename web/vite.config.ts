import { defineConfig } from "vite";

// Built into the directory CMake names (--outDir), served by `vigil serve`
// at / with the hashed files under /assets/.
export default defineConfig({
  base: "/",
  build: {
    assetsDir: "assets",
    // MapLibre alone is near 1 MB; the page is served from the local server.
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
});
