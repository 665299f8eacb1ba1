// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Stablecoin} from "../../contracts/src/Stablecoin.sol";
import {IStablecoin} from "../../contracts/src/interfaces/IStablecoin.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

contract StablecoinTest is BaseTest {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function test_Metadata() public view {
        assertEq(gusd.name(), "Gavel USD");
        assertEq(gusd.symbol(), "gUSD");
        assertEq(gusd.decimals(), 18);
        assertEq(gusd.engine(), address(engine));
    }

    function test_Constructor_RevertWhen_ZeroEngine() public {
        vm.expectRevert(IStablecoin.ZeroEngine.selector);
        new Stablecoin(address(0));
    }

    function test_Mint_ByEngine() public {
        vm.prank(address(engine));
        gusd.mint(alice, 5e18);
        assertEq(gusd.balanceOf(alice), 5e18);
        assertEq(gusd.totalSupply(), 5e18);
    }

    function test_Mint_RevertWhen_NotEngine() public {
        vm.expectRevert(abi.encodeWithSelector(IStablecoin.NotEngine.selector, gov));
        vm.prank(gov);
        gusd.mint(alice, 1);
    }

    function test_Burn_ByEngine() public {
        vm.startPrank(address(engine));
        gusd.mint(alice, 5e18);
        gusd.burn(alice, 2e18);
        vm.stopPrank();
        assertEq(gusd.balanceOf(alice), 3e18);
        assertEq(gusd.totalSupply(), 3e18);
    }

    function test_Burn_RevertWhen_NotEngine() public {
        vm.prank(address(engine));
        gusd.mint(alice, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IStablecoin.NotEngine.selector, alice));
        vm.prank(alice);
        gusd.burn(alice, 1);
    }

    function test_Burn_RevertWhen_InsufficientBalance() public {
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        vm.prank(address(engine));
        gusd.burn(alice, 1);
    }

    function test_Permit_SetsAllowanceWithOneSignature() public {
        (address owner, uint256 pk) = makeAddrAndKey("permit-owner");
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, 100e18, gusd.nonces(owner), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", gusd.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        gusd.permit(owner, bob, 100e18, deadline, v, r, s);
        assertEq(gusd.allowance(owner, bob), 100e18);
        assertEq(gusd.nonces(owner), 1);
        // Replaying the same signature fails.
        vm.expectRevert(ERC20.InvalidPermit.selector);
        gusd.permit(owner, bob, 100e18, deadline, v, r, s);
    }

    function test_Permit_RevertWhen_Expired() public {
        (address owner, uint256 pk) = makeAddrAndKey("permit-owner");
        uint256 deadline = block.timestamp - 1;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, 1, 0, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", gusd.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        vm.expectRevert(ERC20.PermitExpired.selector);
        gusd.permit(owner, bob, 1, deadline, v, r, s);
    }

    function test_DomainSeparator_UsesName() public view {
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Gavel USD"),
                keccak256("1"),
                block.chainid,
                address(gusd)
            )
        );
        assertEq(gusd.DOMAIN_SEPARATOR(), expected);
    }

    function test_NoImplicitPermit2Allowance() public view {
        assertEq(gusd.allowance(alice, 0x000000000022D473030F116dDEE9F6B43aC78BA3), 0);
    }

    function test_Transfer_Works() public {
        vm.prank(address(engine));
        gusd.mint(alice, 5e18);
        vm.prank(alice);
        assertTrue(gusd.transfer(bob, 2e18));
        assertEq(gusd.balanceOf(bob), 2e18);
    }
}
