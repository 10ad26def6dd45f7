import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The Fastify server (server/src/server.ts) listens on 8080 by default; the dev server proxies to it.
const api = process.env.COMMANDHALL_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  // public/ (geography, themes, icons) ships at the site root of the built app.
  publicDir: '../public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      output: {
        // Keep the big libraries in their own long-cached chunks.
        manualChunks(id: string) {
          if (id.includes('maplibre-gl')) return 'maplibre';
          if (id.includes('echarts') || id.includes('zrender')) return 'echarts';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/socket.io': { target: api, ws: true, changeOrigin: true },
    },
  },
});
