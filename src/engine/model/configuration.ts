// A build configuration: what a file is preprocessed and measured with. A run checks every configuration it is
// given (by default x64 and x86 with MSVC) and reports each call once, with the configurations it wastes in.

import type { Target } from './types.js';

/** The compiler whose predefined macros and layout rules apply. MSVC by default. */
export type Compiler = 'msvc' | 'mingw' | 'clang-cl';

export interface Configuration {
  /** What users see: `x86`, `x64`, `Release|Win32`. Unique within a run. */
  name: string;
  target: Target;
  compiler: Compiler;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  /** Set where the build names no target (a compilation database): the run's targets apply, not `target` alone. */
  targetOfRun?: true;
}
