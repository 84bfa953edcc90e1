// The hub's read API: member clusters, grids with per-NodeUnit state, queue depth. Each
// requester sees only the grids and members the control cluster lets it get or list.
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { gridKey, gridRefOf, type AnyGrid, type GridKind } from '#gridfed/grid-api';
import { isDistributed, previewGrid, type GridPreview } from '#gridfed/distribution';
import { nodeUnitRows, type GridRef } from '#gridfed/grid-api';
import {
  describeCheck,
  gridCheck,
  gridNamedBy,
  mayGetGrid,
  visibleGrids,
  visibleMembers,
  type Permissions,
} from '#gridfed/access';
import { DistributionService } from '../distribution.provider.js';
import { RequestPermissions } from '../access/request-permissions.js';
import {
  ClusterDto,
  GridDetailDto,
  GridListQuery,
  GridParams,
  GridPreviewDto,
  GridSummaryDto,
  QueueDto,
  type ConditionDto,
  type RolloutDto,
} from './dto.js';

@ApiTags('gridfed')
@Controller('api')
export class ApiController {
  constructor(private readonly hub: DistributionService) {}

  @Get('clusters')
  @ApiOkResponse({ type: [ClusterDto] })
  async clusters(@RequestPermissions() who: Permissions): Promise<ClusterDto[]> {
    const { registry } = this.hub.distributor;
    const visible = await visibleMembers(registry.memberClusters.list(), (mc) => mc.metadata.name ?? '', who);
    return visible
      .map((mc) => {
        const name = mc.metadata.name ?? '';
        const member = registry.get(name);
        return {
          name,
          reachable: member?.isHealthy ?? false,
          detail: member ? (member.isHealthy ? undefined : member.healthDetail) : registry.problem(name),
          kubernetesVersion: member?.kubernetesVersion ?? mc.status?.kubernetesVersion,
          nodeUnits: mc.status?.nodeUnits ?? {},
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  @Get('grids')
  @ApiOkResponse({ type: [GridSummaryDto] })
  async grids(@Query() query: GridListQuery, @RequestPermissions() who: Permissions): Promise<GridSummaryDto[]> {
    const asked = this.hub.distributor.grids
      .list()
      .filter((g) => isDistributed(g))
      .filter(
        (g) => (!query.kind || g.kind === query.kind) && (!query.namespace || g.metadata.namespace === query.namespace),
      );
    return (await visibleGrids(asked, gridRefOf, who))
      .map((g) => this.summary(g))
      .sort((a, b) => `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`));
  }

  @Get('grids/:kind/:namespace/:name')
  @ApiOkResponse({ type: GridDetailDto })
  async grid(@Param() params: GridParams, @RequestPermissions() who: Permissions): Promise<GridDetailDto> {
    // Before the lookup: a 404 would tell a requester without the right that the grid exists.
    await mayGetOrRefuse(params, who);
    const grid = this.hub.distributor.grids.get(gridKey(params));
    if (!grid) throw new NotFoundException(`${params.kind} ${params.namespace}/${params.name} not found`);
    return { ...this.summary(grid), status: (grid.status ?? {}) as Record<string, unknown> };
  }

  /** What applying a grid manifest would do in each member: server-side dry-runs, nothing applied. */
  @Post('diff')
  @HttpCode(200)
  @ApiBody({
    description: 'a grid manifest (DeploymentGrid, StatefulSetGrid or ServiceGrid)',
    schema: { type: 'object' },
  })
  @ApiOkResponse({ type: GridPreviewDto })
  async diff(@Body() manifest: unknown, @RequestPermissions() who: Permissions): Promise<GridPreview> {
    const named = gridNamedBy(manifest);
    if (named) await mayGetOrRefuse(named, who);
    const { registry, topology, grids } = this.hub.distributor;
    const preview = await previewGrid(manifest, {
      members: () => registry.list(),
      topology,
      existing: (ref) => grids.get(gridKey(ref)),
    });
    return { ...preview, members: await visibleMembers(preview.members, (m) => m.cluster, who) };
  }

  @Get('queues')
  @ApiOkResponse({ type: [QueueDto] })
  async queues(@RequestPermissions() who: Permissions): Promise<QueueDto[]> {
    const { registry, queues } = this.hub.distributor;
    const members = await visibleMembers(registry.names(), (name) => name, who);
    return Promise.all(members.map(async (member) => ({ member, ...(await queues.depth(member)) })));
  }

  /** What the grid's status (as gridfed wrote it) says: every surface shows the same thing. */
  private summary(grid: AnyGrid): GridSummaryDto {
    const ref = gridRefOf(grid);
    return {
      kind: ref.kind as GridKind,
      namespace: ref.namespace,
      name: ref.name,
      distributed: isDistributed(grid),
      generation: grid.metadata.generation,
      observedGeneration: grid.status?.observedGeneration,
      nodeUnits: nodeUnitRows(grid),
      ...(grid.kind === 'ServiceGrid' || !grid.status?.rollout ? {} : { rollout: rolloutOf(grid) }),
      conditions: (grid.status?.conditions ?? []).map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        observedGeneration: c.observedGeneration,
      })) as ConditionDto[],
    };
  }
}

/** 403, with no data, unless the requester may get this grid. */
async function mayGetOrRefuse(ref: GridRef, who: Permissions): Promise<void> {
  if (await mayGetGrid(ref, who)) return;
  throw new ForbiddenException(
    `${who.user} may not ${describeCheck(gridCheck('get', ref.kind, ref.namespace, ref.name))} in the control cluster`,
  );
}

function rolloutOf(grid: AnyGrid): RolloutDto {
  const r = grid.status?.rollout ?? {};
  return {
    phase: r.phase,
    stableRevision: r.stableRevision,
    updateRevision: r.updateRevision,
    wave: r.wave,
    waves: r.waves,
    updatedNodeUnits: grid.status?.updatedNodeUnits,
    failedRevision: r.failedRevision,
    message: r.message,
  };
}
