import type { ReactNode } from 'react';
import { Badge, Text, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  logo: { width: '28px', height: '28px' },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
});

export function Brand({ inverted = false }: { inverted?: boolean }): ReactNode {
  const styles = useStyles();
  return (
    <div className={styles.brand}>
      <img className={styles.logo} src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" />
      <Text className={styles.name} style={inverted ? { color: 'white' } : undefined}>
        Microsoft Purview
      </Text>
      <Badge appearance={inverted ? 'filled' : 'tint'} color={inverted ? 'informative' : 'brand'} size="small">
        Emulator
      </Badge>
    </div>
  );
}
