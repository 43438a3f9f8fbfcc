// MSBuild conditions as projects write them, evaluated with three-valued logic: a property granule cannot know
// makes a comparison unknown, and `and`/`or` stay exact where one side decides.

import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../../src/engine/preprocess/msbuild/condition.js';
import { PropertyTable } from '../../../../src/engine/preprocess/msbuild/expand.js';

const context = {
  properties: new PropertyTable({ Configuration: 'Release', Platform: 'Win32', Empty: '' }),
  exists: (p: string) => p === 'here.props',
};
const value = (condition: string) => evaluateCondition(condition, context).value;

describe('evaluateCondition', () => {
  it('compares the configuration and platform as Visual Studio writes it, ignoring case', () => {
    expect(value("'$(Configuration)|$(Platform)'=='Release|Win32'")).toBe(true);
    expect(value("'$(Configuration)|$(Platform)'=='release|WIN32'")).toBe(true);
    expect(value("'$(Configuration)|$(Platform)'=='Debug|Win32'")).toBe(false);
    expect(value("'$(Configuration)|$(Platform)' != 'Debug|x64'")).toBe(true);
    expect(value("'$(Empty)' == ''")).toBe(true);
  });

  it('combines with and, or, ! and parentheses', () => {
    expect(value("'$(Platform)'=='Win32' and !('$(Configuration)'=='Debug')")).toBe(true);
    expect(value("'$(Platform)'=='x64' or '$(Platform)'=='ARM64'")).toBe(false);
    expect(value("Exists('here.props') AND '$(Platform)'=='Win32'")).toBe(true);
    expect(value("!Exists('there.props')")).toBe(true);
    expect(value("HasTrailingSlash('$(Configuration)\\')")).toBe(true);
  });

  it('an unknown property makes a comparison unknown, unless the other side of and/or decides', () => {
    expect(evaluateCondition("'$(DXSDK_DIR)' != ''", context)).toEqual({ value: undefined, unknown: [{ kind: 'property', name: 'DXSDK_DIR' }] });
    expect(value("'$(Platform)'=='x64' and '$(DXSDK_DIR)' != ''")).toBe(false);
    expect(value("'$(Platform)'=='Win32' or '$(DXSDK_DIR)' != ''")).toBe(true);
    expect(value("'$(Platform)'=='Win32' and '$(DXSDK_DIR)' != ''")).toBeUndefined();
  });

  it('does not evaluate what it does not read: version comparisons, property functions', () => {
    expect(evaluateCondition("'$(VisualStudioVersion)' < '15.0'", context)).toMatchObject({ value: undefined });
    expect(evaluateCondition("$([MSBuild]::IsOSPlatform('Windows'))", context)).toMatchObject({ value: undefined });
    expect(evaluateCondition("'$(Platform)' = 'Win32'", context)).toMatchObject({ value: undefined, unsupported: "'$(Platform)' = 'Win32'" });
  });
});
