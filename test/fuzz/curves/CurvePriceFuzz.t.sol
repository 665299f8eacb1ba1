// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CurvePrice} from "../../../contracts/src/curves/CurvePrice.sol";
import {ExponentialDecrease} from "../../../contracts/src/curves/ExponentialDecrease.sol";
import {LinearDecrease} from "../../../contracts/src/curves/LinearDecrease.sol";
import {StairstepExponentialDecrease} from "../../../contracts/src/curves/StairstepExponentialDecrease.sol";
import {IPriceCurve} from "../../../contracts/src/interfaces/IPriceCurve.sol";
import {CurveReference} from "./CurveReference.sol";

/// @dev External wrappers over the inlined library, so its result or revert can be compared.
contract CurvePriceHarness {
    function linear(uint256 top, uint256 dur, uint256 tau) external pure returns (uint256) {
        return CurvePrice.linear(top, dur, tau);
    }

    function stairstepExponential(uint256 top, uint256 dur, uint256 cut, uint256 step) external pure returns (uint256) {
        return CurvePrice.stairstepExponential(top, dur, cut, step);
    }

    function exponential(uint256 top, uint256 dur, uint256 cut) external pure returns (uint256) {
        return CurvePrice.exponential(top, dur, cut);
    }
}

/// @notice The auction house prices inline through `CurvePrice`; it must agree with the standalone
/// curve contracts (and so with dss and the TypeScript mirror) on every input, reverts included.
contract CurvePriceFuzzTest is CurveReference {
    CurvePriceHarness internal h;

    function setUp() public {
        h = new CurvePriceHarness();
    }

    function _same(address curve, bytes memory libCall, uint256 top, uint256 dur) internal view {
        (bool okCurve, bytes memory outCurve) = curve.staticcall(abi.encodeCall(IPriceCurve.price, (top, dur)));
        (bool okLib, bytes memory outLib) = address(h).staticcall(libCall);
        assertEq(okLib, okCurve, "reverts alike");
        assertEq(outLib, outCurve, "same result or revert data");
    }

    function testFuzz_Linear_MatchesLinearDecrease(
        uint256 tau,
        uint256 tauShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        tau = boundLog(tau, tauShape, 1, type(uint256).max / RAY);
        top = boundLog(top, topShape, 0, type(uint256).max);
        dur = boundLog(dur, durShape, 0, type(uint256).max);
        address curve = address(new LinearDecrease(tau));
        _same(curve, abi.encodeCall(CurvePriceHarness.linear, (top, dur, tau)), top, dur);
    }

    function testFuzz_StairstepExponential_MatchesStairstepExponentialDecrease(
        uint256 cut,
        uint256 cutShape,
        uint256 step,
        uint256 stepShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        cut = boundCut(cut, cutShape);
        step = boundLog(step, stepShape, 1, type(uint256).max);
        top = boundLog(top, topShape, 0, type(uint256).max);
        dur = boundLog(dur, durShape, 0, type(uint256).max);
        address curve = address(new StairstepExponentialDecrease(cut, step));
        _same(curve, abi.encodeCall(CurvePriceHarness.stairstepExponential, (top, dur, cut, step)), top, dur);
    }

    function testFuzz_Exponential_MatchesExponentialDecrease(
        uint256 cut,
        uint256 cutShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        cut = boundCut(cut, cutShape);
        top = boundLog(top, topShape, 0, type(uint256).max);
        dur = boundLog(dur, durShape, 0, type(uint256).max);
        address curve = address(new ExponentialDecrease(cut));
        _same(curve, abi.encodeCall(CurvePriceHarness.exponential, (top, dur, cut)), top, dur);
    }
}
