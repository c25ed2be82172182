import { createContext, useContext } from 'react';

export type ThemeName = 'light' | 'dark';

/** The portal's theme, for what Fluent's tokens do not reach (the lineage canvas). */
export const ThemeNameContext = createContext<ThemeName>('light');

export const useThemeName = (): ThemeName => useContext(ThemeNameContext);
