import type { ReactNode } from 'react';
import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useEntities, useEntity, type AtlasEntity, type AtlasObjectId } from '../../api/catalog';
import { ErrorBar, Loading, display } from '../Common';

function refs(value: AtlasObjectId | AtlasObjectId[] | null | undefined): AtlasObjectId[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

/** The schema a scan read: the asset's tabular_schema and its columns, with types and classifications. */
export function SchemaTable({ entity }: { entity: AtlasEntity }): ReactNode {
  const schemaRef = refs(entity.relationshipAttributes?.tabular_schema)[0];
  const schema = useEntity(schemaRef?.guid);
  const columnRefs = refs(schema.data?.entity.relationshipAttributes?.columns);
  const columns = useEntities(columnRefs.map((c) => c.guid));
  if (!schemaRef) return <Text>No schema: the scan read no columns for this asset.</Text>;
  if (schema.error || columns.error) return <ErrorBar error={schema.error ?? columns.error} />;
  if (schema.isLoading || columns.isLoading) return <Loading />;
  const rows = (columns.data?.entities ?? []).filter((c) => c.status !== 'DELETED');
  // Columns in the file's order when the scan recorded it, else by name.
  rows.sort((a, b) => Number(a.attributes.position ?? 0) - Number(b.attributes.position ?? 0));
  return (
    <Table aria-label="Schema" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Column</TableHeaderCell>
          <TableHeaderCell>Type</TableHeaderCell>
          <TableHeaderCell>Classifications</TableHeaderCell>
          <TableHeaderCell>Description</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((c) => (
          <TableRow key={c.guid} data-column={display(c.attributes.name)}>
            <TableCell>
              <Text weight="semibold">{display(c.attributes.name)}</Text>
            </TableCell>
            <TableCell>
              <code>{display(c.attributes.type ?? c.attributes.data_type)}</code>
            </TableCell>
            <TableCell>
              {(c.classifications ?? []).map((k) => (
                <Badge key={k.typeName} appearance="tint" color="brand" style={{ marginRight: 4 }}>
                  {k.typeName}
                </Badge>
              ))}
            </TableCell>
            <TableCell>{c.attributes.description ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
