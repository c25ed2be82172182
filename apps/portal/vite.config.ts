import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the emulator at /portal/ (apps/purview-emulator/src/portal); `npm run dev -w apps/portal` proxies the APIs.
export default defineConfig({
  base: '/portal/',
  plugins: [react()],
  resolve: {
    // Shapes come from libs/contracts' sources (types, and a few constants with no Node dependency).
    alias: { '@contracts': fileURLToPath(new URL('../../libs/contracts/src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Pages load lazily (components/Routes.tsx), each with the Fluent components only it uses; React gets a chunk of
    // its own, so the entry stays under Vite's 500 kB warning and a new build of the portal's code leaves it cached.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/scan', '/datamap', '/catalog', '/_emulator', '/account', '/00000000-0000-0000-0000-000000000000'].map((p) => [
        p,
        'http://127.0.0.1:5380',
      ]),
    ),
  },
});
