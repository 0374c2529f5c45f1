export * from './programs.js';
export * from './extensions.js';
export * from './load.js';
export * from './accounts.js';
export * from './write.js';
export { sectionKeywordsOf, sectionKeywordSince, ALL_SECTION_KEYWORDS } from '../syntax/index.js';
