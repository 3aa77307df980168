/** Tailwind CSS 4 runs as a PostCSS plugin; it scans the project for class names itself. */
const config = {
  plugins: { "@tailwindcss/postcss": {} },
};

export default config;
