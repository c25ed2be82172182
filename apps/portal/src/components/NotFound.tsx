import type { ReactNode } from 'react';
import { Body1, Title2 } from '@fluentui/react-components';
import { RouterLink } from '../router';

export function NotFound({ path }: { path: string }): ReactNode {
  return (
    <section>
      <Title2 as="h1">Page not found</Title2>
      <Body1 as="p">
        Nothing lives at <code>/portal{path}</code>. Go to{' '}
        <RouterLink to="/integration-runtimes">Integration runtimes</RouterLink>.
      </Body1>
    </section>
  );
}
