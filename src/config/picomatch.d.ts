// The part of picomatch's API granule uses (the package ships no types).
declare module 'picomatch' {
  interface PicomatchOptions {
    dot?: boolean;
    nocase?: boolean;
    windows?: boolean;
  }
  function picomatch(glob: string | string[], options?: PicomatchOptions): (test: string) => boolean;
  export default picomatch;
}
