import { defineConfig } from 'vite'

const outDir = process.env.OUT_DIR || 'dist'

export default defineConfig({
  build: { outDir },
})
