// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {PushedFeed} from "../../../contracts/src/oracles/PushedFeed.sol";
import {Test} from "forge-std/Test.sol";
import {Ownable} from "solady/auth/Ownable.sol";

contract PushedFeedTest is Test {
    event Pushed(address indexed pusher, uint256 priceWad, uint256 updatedAt);

    address internal gov = makeAddr("gov");
    address internal pusher = makeAddr("pusher");
    PushedFeed internal feed;

    function setUp() public {
        vm.warp(1_700_000_000);
        feed = new PushedFeed(gov, pusher);
    }

    function test_Constructor_SetsOwnerAndPusher() public view {
        assertEq(feed.owner(), gov);
        assertTrue(feed.hasAllRoles(pusher, feed.PUSHER_ROLE()));
        assertFalse(feed.hasAnyRole(gov, feed.PUSHER_ROLE()));
    }

    function test_Constructor_ZeroPusherGrantsNothing() public {
        PushedFeed f = new PushedFeed(gov, address(0));
        assertEq(f.rolesOf(address(0)), 0);
    }

    function test_Constructor_RevertWhen_ZeroOwner() public {
        vm.expectRevert(PushedFeed.ZeroAddress.selector);
        new PushedFeed(address(0), pusher);
    }

    function test_Push_SetsPriceAndTime() public {
        vm.expectEmit(address(feed));
        emit Pushed(pusher, 2000e18, block.timestamp);
        vm.prank(pusher);
        feed.push(2000e18);
        (uint256 p, uint256 t) = feed.read();
        assertEq(p, 2000e18);
        assertEq(t, block.timestamp);
    }

    function test_Push_AcceptsMaxPrice() public {
        vm.prank(pusher);
        feed.push(type(uint128).max);
        (uint256 p,) = feed.read();
        assertEq(p, type(uint128).max);
    }

    function test_Push_RevertWhen_NotPusher() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        feed.push(1e18);
        vm.prank(gov); // The owner too needs the role.
        vm.expectRevert(Ownable.Unauthorized.selector);
        feed.push(1e18);
    }

    function test_Push_RevertWhen_ZeroPrice() public {
        vm.prank(pusher);
        vm.expectRevert(IFeed.ZeroPrice.selector);
        feed.push(0);
    }

    function test_Push_RevertWhen_PriceOverflow() public {
        uint256 p = uint256(type(uint128).max) + 1;
        vm.prank(pusher);
        vm.expectRevert(abi.encodeWithSelector(IFeed.PriceOverflow.selector, p));
        feed.push(p);
    }

    function test_Push_AfterRoleRevokedReverts() public {
        uint256 role = feed.PUSHER_ROLE();
        vm.prank(gov);
        feed.revokeRoles(pusher, role);
        vm.prank(pusher);
        vm.expectRevert(Ownable.Unauthorized.selector);
        feed.push(1e18);
    }

    function test_Push_NewPusherGrantedByOwner() public {
        address sim = makeAddr("simulator");
        uint256 role = feed.PUSHER_ROLE();
        vm.prank(gov);
        feed.grantRoles(sim, role);
        vm.prank(sim);
        feed.push(3e18);
        (uint256 p,) = feed.read();
        assertEq(p, 3e18);
    }

    function test_Read_RevertWhen_NoPrice() public {
        vm.expectRevert(IFeed.NoPrice.selector);
        feed.read();
    }

    function test_Read_KeepsPushTime() public {
        vm.prank(pusher);
        feed.push(5e18);
        uint256 pushedAt = block.timestamp;
        vm.warp(block.timestamp + 100);
        (, uint256 t) = feed.read();
        assertEq(t, pushedAt);
    }

    function testFuzz_Push_RoundTrips(uint256 price, uint256 when) public {
        price = bound(price, 1, type(uint128).max);
        when = bound(when, 1, type(uint40).max);
        vm.warp(when);
        vm.prank(pusher);
        feed.push(price);
        (uint256 p, uint256 t) = feed.read();
        assertEq(p, price);
        assertEq(t, when);
    }
}
