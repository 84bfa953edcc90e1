// The hub's read API of sites: the control cluster's NodeUnits and NodeGroups with the status
// the hub wrote (members, ready and not-ready nodes, conflicts, conditions), from the caches
// site membership already holds. Each requester sees only those it may get or list.
import { Controller, ForbiddenException, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  describeCheck,
  mayGetSiteObject,
  siteCheck,
  visibleSiteObjects,
  type Permissions,
  type SiteResource,
} from '#gridfed/access';
import { NODE_GROUP_RESOURCE, NODE_UNIT_RESOURCE, SITE_GROUP, nodeGroupView, nodeUnitView } from '#gridfed/site-api';
import { DistributionService } from '../distribution.provider.js';
import { RequestPermissions } from '../access/request-permissions.js';
import { NodeGroupDto, NodeUnitDto, SiteObjectParams } from './sites.dto.js';

const NODE_UNITS = NODE_UNIT_RESOURCE.plural;
const NODE_GROUPS = NODE_GROUP_RESOURCE.plural;

@ApiTags('gridfed')
@Controller('api')
export class SitesController {
  constructor(private readonly hub: DistributionService) {}

  @Get('nodeunits')
  @ApiOkResponse({ type: [NodeUnitDto] })
  nodeUnits(@RequestPermissions() who: Permissions): Promise<NodeUnitDto[]> {
    return visible(this.hub.sites.sites.nodeUnits.list(), NODE_UNITS, nodeUnitView, who);
  }

  @Get('nodeunits/:name')
  @ApiOkResponse({ type: NodeUnitDto })
  nodeUnit(@Param() params: SiteObjectParams, @RequestPermissions() who: Permissions): Promise<NodeUnitDto> {
    return one(params.name, (name) => this.hub.sites.sites.nodeUnits.get(name), NODE_UNITS, nodeUnitView, who);
  }

  @Get('nodegroups')
  @ApiOkResponse({ type: [NodeGroupDto] })
  nodeGroups(@RequestPermissions() who: Permissions): Promise<NodeGroupDto[]> {
    return visible(this.hub.sites.sites.nodeGroups.list(), NODE_GROUPS, nodeGroupView, who);
  }

  @Get('nodegroups/:name')
  @ApiOkResponse({ type: NodeGroupDto })
  nodeGroup(@Param() params: SiteObjectParams, @RequestPermissions() who: Permissions): Promise<NodeGroupDto> {
    return one(params.name, (name) => this.hub.sites.sites.nodeGroups.get(name), NODE_GROUPS, nodeGroupView, who);
  }
}

type Named = { metadata: { name: string } };

/** The objects the requester may see, as views sorted by name. */
async function visible<T extends Named, V extends { name: string }>(
  all: T[],
  resource: SiteResource,
  view: (o: T) => V,
  who: Permissions,
): Promise<V[]> {
  const shown = await visibleSiteObjects(all, (o) => o.metadata.name, resource, who);
  return shown.map(view).sort((a, b) => a.name.localeCompare(b.name));
}

/** One object's view: 403 with no data unless the requester may get it, checked before the lookup (a 404 would tell it exists). */
async function one<T extends Named, V>(
  name: string,
  lookup: (name: string) => T | undefined,
  resource: SiteResource,
  view: (o: T) => V,
  who: Permissions,
): Promise<V> {
  if (!(await mayGetSiteObject(resource, name, who)))
    throw new ForbiddenException(
      `${who.user} may not ${describeCheck(siteCheck('get', resource, name))} in the control cluster`,
    );
  const found = lookup(name);
  if (!found) throw new NotFoundException(`${resource}.${SITE_GROUP} ${name} not found`);
  return view(found);
}
