// The layering of granule's source, checked by `npm run lint` (dependency-cruiser). Type-only imports count:
// a layer that needs another's types depends on it as much as one that calls it.
//
// src/engine is layered from bottom to top; a layer imports only the layers below it:
//   model → text → files → macros → types → evaluate → preprocess → parse → analysis → linter → cache → runner
// src/rules sits between engine/analysis and engine/linter: rules see the model and (types only) the analysis;
// the linter runs them. src/formats prints reports from the model and the rules' metadata. src/config,
// src/cli, src/lsp, src/eslint and src/shim are on top; the language server and the ESLint plugin are
// independent of each other. No import cycle anywhere.

const ENGINE_LAYERS = ['model', 'text', 'files', 'macros', 'types', 'evaluate', 'preprocess', 'parse', 'analysis', 'linter', 'cache', 'runner'];
const RULES_ABOVE = 'analysis'; // src/rules sits just above this engine layer
const TOP = ['config', 'cli', 'lsp', 'eslint', 'shim'];

const anyOf = (names) => `(${names.join('|')})`;

/** One rule per engine layer: it may not import the layers above it, nor what sits on top of the engine. */
function engineLayerRules() {
  return ENGINE_LAYERS.slice(0, -1).map((layer, i) => {
    const above = ENGINE_LAYERS.slice(i + 1);
    const rulesAbove = i <= ENGINE_LAYERS.indexOf(RULES_ABOVE);
    return {
      name: `engine-${layer}-imports-only-below`,
      comment:
        `src/engine/${layer}/ may import only the engine layers below it (${ENGINE_LAYERS.slice(0, i).join(', ') || 'none'})` +
        `${rulesAbove ? '' : ' and src/rules'}; not ${above.join(', ')}${rulesAbove ? ', nor src/rules' : ''}`,
      severity: 'error',
      from: { path: `^src/engine/${layer}/` },
      to: { path: rulesAbove ? `^src/(engine/${anyOf(above)}|rules)/` : `^src/engine/${anyOf(above)}/` },
    };
  });
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: the modules in it cannot be understood, tested or loaded one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...engineLayerRules(),
    {
      name: 'engine-below-its-users',
      comment: 'src/engine is a library: it may not import the formats, the configuration, or the front ends on top of it (nor src/index.ts).',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: `^src/(${anyOf(['formats', ...TOP])}/|index\\.ts$)` },
    },
    {
      name: 'rules-see-model-and-analysis-types',
      comment: 'src/rules may import src/engine/model, src/engine/text (how a literal is written, for fixes) and the types of src/engine/analysis only.',
      severity: 'error',
      from: { path: '^src/rules/' },
      to: { path: '^src/', pathNot: '^src/(rules|engine/model|engine/text|engine/analysis)/' },
    },
    {
      name: 'rules-import-analysis-types-only',
      comment: 'src/rules may import types from src/engine/analysis, not code: rules judge the facts, they do not compute them.',
      severity: 'error',
      from: { path: '^src/rules/' },
      to: { path: '^src/engine/analysis/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'formats-see-model-and-rules',
      comment:
        "src/formats prints reports: it may import src/engine/model, the rules' metadata, and the file reading and decoding " +
        '(engine/files, engine/text) that shows source lines and reads a baseline as the run read them.',
      severity: 'error',
      from: { path: '^src/formats/' },
      to: { path: '^src/', pathNot: '^src/(formats|rules|engine/(model|text|files))/' },
    },
    {
      name: 'lsp-independent-of-eslint',
      comment: 'The language server and the ESLint plugin are two front ends: neither imports the other (share code through the engine).',
      severity: 'error',
      from: { path: '^src/lsp/' },
      to: { path: '^src/eslint/' },
    },
    {
      name: 'eslint-independent-of-lsp',
      comment: 'The ESLint plugin and the language server are two front ends: neither imports the other (share code through the engine).',
      severity: 'error',
      from: { path: '^src/eslint/' },
      to: { path: '^src/lsp/' },
    },
    {
      name: 'tree-sitter-in-parse',
      comment: 'Only src/engine/parse/ talks to tree-sitter; the layers above see its trees through the parse layer.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/engine/parse/' },
      to: {
        dependencyTypes: ['npm'],
        path: 'node_modules/(granule-tree-sitter|tree-sitter|tree-sitter-c|tree-sitter-cpp|node-gyp-build)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'language-server-libraries-in-lsp',
      comment: 'The vscode-languageserver libraries belong to src/lsp/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/lsp/' },
      to: { path: 'node_modules/vscode-languageserver' },
    },
    {
      name: 'eslint-libraries-in-eslint',
      comment: 'ESLint and its libraries are optional peers: only src/eslint/ may import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/eslint/' },
      to: { path: 'node_modules/(eslint|@eslint|@typescript-eslint)/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      comment: 'Shipped code may not import a devDependency (users do not have it); types only are fine.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing on disk.',
      severity: 'error',
      from: {},
      // 'tree-sitter' is the module name that granule-tree-sitter's types declare (see engine/parse/parse.ts)
      to: { couldNotResolve: true, pathNot: '^tree-sitter$' },
    },
    {
      name: 'no-deprecated-core',
      comment: 'A deprecated Node.js core module.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['core'], path: '^(punycode|domain|constants|sys|_linklist|_stream_wrap)$' },
    },
    {
      name: 'no-non-package-json',
      comment: 'A package that is not in package.json (it works only while another package happens to bring it).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test/fixtures|test/fix-fixtures|dist|examples|editors)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
