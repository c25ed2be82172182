import type { ReactElement, ReactNode } from 'react';
import { Button, Caption1, Tab, TabList, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import {
  BookRegular,
  FolderListRegular,
  KeyRegular,
  TaskListLtrRegular,
  DatabaseSearchRegular,
  PlugConnectedRegular,
  ServerRegular,
  SettingsRegular,
  SignOutRegular,
  WeatherMoonRegular,
  WeatherSunnyRegular,
} from '@fluentui/react-icons';
import type { ThemeName } from '../theme';
import { navigate, usePath } from '../router';
import { useSession } from '../session';
import { Brand } from './Brand';
import { Routes } from './Routes';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateRows: '48px 1fr', height: '100%' },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  spacer: { flexGrow: 1 },
  who: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', lineHeight: 1.1 },
  body: {
    display: 'grid',
    gridTemplateColumns: '248px 1fr',
    minHeight: 0,
    // A narrower rail below laptop widths, so pages keep ~800px at 1024 wide.
    '@media (max-width: 1200px)': { gridTemplateColumns: '212px 1fr' },
  },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}`,
    overflowY: 'auto',
  },
  section: {
    display: 'block',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`,
    color: tokens.colorNeutralForeground3,
    fontWeight: tokens.fontWeightSemibold,
  },
  main: {
    overflowY: 'auto',
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    minWidth: 0,
    '@media (max-width: 1200px)': { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}` },
  },
  headerButton: { color: tokens.colorNeutralForegroundOnBrand },
  tab: { justifyContent: 'flex-start', textAlign: 'left', width: '100%' },
});

const NAV: { section: string; items: { value: string; label: string; icon: ReactElement }[] }[] = [
  {
    section: 'Data Map',
    items: [
      { value: '/integration-runtimes', label: 'Integration runtimes', icon: <ServerRegular /> },
      { value: '/sources', label: 'Sources and scanning', icon: <PlugConnectedRegular /> },
      { value: '/credentials', label: 'Credentials', icon: <KeyRegular /> },
      { value: '/scan-rule-sets', label: 'Scan rule sets', icon: <TaskListLtrRegular /> },
      { value: '/collections', label: 'Collections', icon: <FolderListRegular /> },
    ],
  },
  {
    section: 'Data Catalog',
    items: [
      { value: '/catalog', label: 'Search the catalog', icon: <DatabaseSearchRegular /> },
      { value: '/glossary', label: 'Glossary', icon: <BookRegular /> },
    ],
  },
  { section: 'Emulator', items: [{ value: '/emulator', label: 'Emulator', icon: <SettingsRegular /> }] },
];

const SECTION_OF: [string, string][] = [
  ['/integration-runtimes', '/integration-runtimes'],
  ['/sources', '/sources'],
  ['/credentials', '/credentials'],
  ['/scan-rule-sets', '/scan-rule-sets'],
  ['/collections', '/collections'],
  ['/catalog', '/catalog'],
  ['/glossary', '/glossary'],
  ['/emulator', '/emulator'],
];

export function Shell({
  theme,
  onThemeChange,
}: {
  theme: ThemeName;
  onThemeChange: (t: ThemeName) => void;
}): ReactNode {
  const styles = useStyles();
  const path = usePath();
  const { session, signOut } = useSession();
  const selected = SECTION_OF.find(([prefix]) => path.startsWith(prefix))?.[1] ?? '/integration-runtimes';
  const nextTheme = theme === 'dark' ? 'light' : 'dark';

  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <Brand inverted />
        <div className={styles.spacer} />
        <Tooltip content={`Switch to the ${nextTheme} theme`} relationship="label">
          <Button
            appearance="transparent"
            className={styles.headerButton}
            icon={theme === 'dark' ? <WeatherSunnyRegular /> : <WeatherMoonRegular />}
            onClick={() => onThemeChange(nextTheme)}
          />
        </Tooltip>
        <div className={styles.who} aria-label="Signed-in client">
          <Text weight="semibold" data-testid="signed-in-client">
            {session.clientId}
          </Text>
          <Caption1>{session.roles.join(', ') || 'no Purview roles'}</Caption1>
        </div>
        <Tooltip content="Sign out" relationship="label">
          <Button
            appearance="transparent"
            className={styles.headerButton}
            icon={<SignOutRegular />}
            onClick={signOut}
          />
        </Tooltip>
      </header>
      <div className={styles.body}>
        <nav className={styles.nav} aria-label="Portal">
          {NAV.map((group) => (
            <div key={group.section}>
              <Caption1 className={styles.section}>{group.section}</Caption1>
              <TabList
                vertical
                selectedValue={selected}
                onTabSelect={(_, d) => navigate(String(d.value))}
                aria-label={group.section}
              >
                {group.items.map((item) => (
                  <Tab key={item.value} value={item.value} icon={item.icon} className={styles.tab}>
                    {item.label}
                  </Tab>
                ))}
              </TabList>
            </div>
          ))}
        </nav>
        <main className={styles.main}>
          <Routes path={path} />
        </main>
      </div>
    </div>
  );
}
