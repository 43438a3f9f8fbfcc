// The file names granule reads as C or C++ sources: listing a tree (engine/files) and choosing a grammar
// (engine/parse) agree on them.

/** Extensions of C and C++ sources and headers, lower case, with the dot. */
export const SOURCE_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.inl', '.ipp'];
